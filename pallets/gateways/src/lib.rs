//! # Gateways pallet
//!
//! Who may create and redeem stablecoins on Entrepot, and how money comes in and goes out.
//!
//! ## Overview
//!
//! The stablecoins orders are paid in (`pallet-assets` assets) are backed by money held off
//! chain by **gateways**: banks or payment institutions that governance appoints, one stablecoin
//! each, with limits. A gateway credits an account after receiving its fiat ([`Pallet::deposit`],
//! with the hash of the bank record, never twice), pays out withdrawals through a status machine
//! a bank-side service can follow ([`Pallet::start_withdrawal`],
//! [`Pallet::complete_withdrawal`], [`Pallet::refund_withdrawal`], [`Pallet::fail_withdrawal`]),
//! and attests its reserves ([`Pallet::attest_reserves`]). It mints only while active, within
//! its limits, and while its latest attestation is recent and covers everything it has
//! outstanding.
//!
//! No key can mint a stablecoin, burn someone's balance or freeze an account at will: every role
//! `pallet-assets` gives an asset (owner, issuer, admin, freezer) belongs to this pallet's
//! account ([`Pallet::account_id`], from [`Config::PalletId`]), which nobody can sign for. The
//! same account holds the coins of open withdrawal requests.
//!
//! ## Terminology
//!
//! - **Gateway**: an account appointed by [`Config::AdminOrigin`] for one stablecoin.
//! - **Outstanding**: a gateway's coin in circulation: the genesis supply attributed to it, plus
//!   its deposits, minus its completed withdrawals.
//! - **Reference**: the hash of the bank record behind a deposit; each is used once per gateway.
//! - **Destination**: the hash of an account's bank details, registered by the gateway after it
//!   verified them off chain. No clear text is on chain.
//! - **Day window**: [`Config::BlocksPerDay`] blocks, counted from block 0; the daily limit
//!   applies to each window.
//!
//! ## Withdrawals
//!
//! ```text
//!  request_withdrawal ─▶ Requested ─start─▶ Processing ─complete─▶ Completed (coins burned)
//!  (coins held)              │                  │
//!                            ├──────────────────┴─refund─▶ Refunded (coins returned)
//!                            ├──────────────────┴─fail───▶ Failed   (coins returned)
//!                            └─ untouched for `withdrawal_timeout` ─cancel─▶ Cancelled
//! ```
//!
//! Once a gateway has taken a request up it may be paying it out, so its account can no longer
//! cancel it; a request a gateway leaves in `Processing` is for governance, which can suspend
//! the gateway and return the coins ([`Pallet::force_refund_withdrawal`]).
//!
//! ## Invariants (checked by `try_state`)
//!
//! 1. For every stablecoin with a gateway, its total supply equals the sum of its gateways'
//!    outstanding amounts.
//! 2. The issuer account's balance of each stablecoin covers the open withdrawal requests in it
//!    (it equals their sum unless someone sent coins to the account, where they stay).
//! 3. Every open request is in its account's index, and every index entry is an open request of
//!    that account; no request id is at or above `NextWithdrawalId`.
//!
//! ## Interface
//!
//! Governance ([`Config::AdminOrigin`]): [`Pallet::appoint_gateway`],
//! [`Pallet::set_gateway_limits`], [`Pallet::suspend_gateway`], [`Pallet::resume_gateway`],
//! [`Pallet::set_params`], [`Pallet::force_refund_withdrawal`]. A gateway: [`Pallet::deposit`], [`Pallet::attest_reserves`],
//! [`Pallet::register_destination`], and the steps of its withdrawals. Any account:
//! [`Pallet::request_withdrawal`], [`Pallet::cancel_withdrawal`],
//! [`Pallet::remove_destination`]. The runtime API is [`runtime_api::GatewaysApi`].

#![cfg_attr(not(feature = "std"), no_std)]
// No panics in a dispatchable, a hook or a trait the runtime calls: what could panic is a lint
// error outside tests (benchmarks opt out module by module: a failed set-up must stop them).
#![cfg_attr(
	not(test),
	warn(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects
	)
)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod impls;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use entrepot_primitives::{AssetId, Balance};

/// Sets up the benchmarks of the gateways pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// A stablecoin whose issuer is the gateways account.
	fn asset() -> AssetId;
}

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungibles::{roles, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the gateways pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The assets pallet holding the stablecoins (and their roles).
		type Assets: Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ roles::Inspect<Self::AccountId>;

		/// This pallet's id: its account holds every role of the stablecoins and the coins of
		/// open withdrawal requests.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Who appoints gateways and sets their limits and the parameters (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most gateways there may be.
		#[pallet::constant]
		type MaxGateways: Get<u32>;

		/// The most payout destinations a gateway may register for one account.
		#[pallet::constant]
		type MaxDestinations: Get<u32>;

		/// The most open withdrawal requests one account may have.
		#[pallet::constant]
		type MaxOpenWithdrawals: Get<u32>;

		/// The length of a day window, in blocks.
		#[pallet::constant]
		type BlocksPerDay: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Names a stablecoin for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The gateways, by the account they sign with.
	#[pallet::storage]
	pub type Gateways<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, GatewayInfoOf<T>>;

	/// The references a gateway has deposited against, with the block of the deposit. A
	/// reference is never used twice by one gateway.
	#[pallet::storage]
	pub type DepositReferences<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Identity, H256, BlockNumberFor<T>>;

	/// The payout destinations a gateway has registered for an account.
	#[pallet::storage]
	pub type Destinations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<H256, T::MaxDestinations>,
		ValueQuery,
	>;

	/// Open withdrawal requests.
	#[pallet::storage]
	pub type Withdrawals<T: Config> = StorageMap<_, Twox64Concat, WithdrawalId, WithdrawalOf<T>>;

	/// The open withdrawal requests of each account.
	#[pallet::storage]
	pub type WithdrawalsOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<WithdrawalId, T::MaxOpenWithdrawals>,
		ValueQuery,
	>;

	/// The id the next withdrawal request gets.
	#[pallet::storage]
	pub type NextWithdrawalId<T> = StorageValue<_, WithdrawalId, ValueQuery>;

	/// The parameters in force.
	#[pallet::storage]
	pub type GatewayParams<T: Config> = StorageValue<_, ParamsOf<T>, ValueQuery>;

	/// Genesis: the gateways and the parameters.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The gateways, with their stablecoin and limits. The first gateway of a stablecoin is
		/// attributed its whole genesis supply, with an attestation of that amount at block 0.
		pub gateways: alloc::vec::Vec<(T::AccountId, AssetId, Limits)>,
		/// The parameters.
		pub params: ParamsOf<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// Genesis only, never in a block: a chain spec naming a gateway twice or a coin
			// this pallet does not issue must not start a chain.
			Pallet::<T>::build_genesis(&self.gateways, self.params)
				.expect("the gateways of the chain spec are valid");
		}
	}

	/// Events: every change a gateway, an account or governance makes. Every step of a
	/// withdrawal carries its id.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance appointed a gateway.
		GatewayAppointed {
			/// The gateway's account.
			gateway: T::AccountId,
			/// Its stablecoin.
			asset: AssetId,
			/// Its limits.
			limits: Limits,
		},
		/// Governance changed a gateway's limits.
		GatewayLimitsSet {
			/// The gateway.
			gateway: T::AccountId,
			/// The new limits.
			limits: Limits,
		},
		/// Governance suspended a gateway.
		GatewaySuspended {
			/// The gateway.
			gateway: T::AccountId,
		},
		/// Governance let a suspended gateway work again.
		GatewayResumed {
			/// The gateway.
			gateway: T::AccountId,
		},
		/// Governance set the parameters.
		ParamsSet {
			/// The new parameters.
			params: ParamsOf<T>,
		},
		/// A gateway minted its coin against money it received.
		Deposited {
			/// The gateway.
			gateway: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// Who was credited.
			beneficiary: T::AccountId,
			/// How much.
			amount: Balance,
			/// The hash of the bank record.
			reference: H256,
		},
		/// A gateway attested its reserves.
		ReservesAttested {
			/// The gateway.
			gateway: T::AccountId,
			/// Its stablecoin.
			asset: AssetId,
			/// The reserve.
			amount: Balance,
			/// The hash of the attestation document.
			document: H256,
		},
		/// A gateway registered a payout destination for an account.
		DestinationRegistered {
			/// The gateway.
			gateway: T::AccountId,
			/// The account.
			who: T::AccountId,
			/// The hash of the bank details.
			destination: H256,
		},
		/// A payout destination was removed.
		DestinationRemoved {
			/// The gateway.
			gateway: T::AccountId,
			/// The account.
			who: T::AccountId,
			/// The hash of the bank details.
			destination: H256,
		},
		/// An account asked to withdraw; its coins are held.
		WithdrawalRequested {
			/// The request.
			id: WithdrawalId,
			/// The gateway to pay it out.
			gateway: T::AccountId,
			/// Who asked.
			who: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// The coins held.
			amount: Balance,
			/// The hash of the bank details to pay.
			destination: H256,
		},
		/// The gateway took a request up.
		WithdrawalProcessing {
			/// The request.
			id: WithdrawalId,
			/// The gateway.
			gateway: T::AccountId,
		},
		/// The gateway paid a request out; its coins are burned.
		WithdrawalCompleted {
			/// The request.
			id: WithdrawalId,
			/// The gateway.
			gateway: T::AccountId,
			/// Who asked.
			who: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// The coins burned.
			amount: Balance,
			/// The hash of the bank's payout record.
			payout: H256,
		},
		/// The gateway declined a request; its coins are back with the account.
		WithdrawalRefunded {
			/// The request.
			id: WithdrawalId,
			/// The gateway.
			gateway: T::AccountId,
			/// Who asked.
			who: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// The coins returned.
			amount: Balance,
			/// Why.
			reason: Reason,
		},
		/// The bank transfer of a request failed; its coins are back with the account.
		WithdrawalFailed {
			/// The request.
			id: WithdrawalId,
			/// The gateway.
			gateway: T::AccountId,
			/// Who asked.
			who: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// The coins returned.
			amount: Balance,
			/// Why.
			reason: Reason,
		},
		/// The account cancelled a request the gateway left untouched; its coins are back.
		WithdrawalCancelled {
			/// The request.
			id: WithdrawalId,
			/// The gateway.
			gateway: T::AccountId,
			/// Who asked.
			who: T::AccountId,
			/// The stablecoin.
			asset: AssetId,
			/// The coins returned.
			amount: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer (or the account named) is not a gateway.
		NotAGateway,
		/// The account already is a gateway.
		AlreadyAGateway,
		/// There are `MaxGateways` gateways already.
		TooManyGateways,
		/// The asset is not a stablecoin of this pallet: its issuer is another account (the
		/// loyalty token, an asset anyone created).
		NotAStablecoin,
		/// The gateway is suspended.
		GatewaySuspended,
		/// The amount is zero.
		ZeroAmount,
		/// The amount is above the gateway's per-deposit limit.
		AboveDepositLimit,
		/// The deposit would take the gateway above its limit for the day window.
		AboveDailyLimit,
		/// The deposit would take the gateway's outstanding amount above its limit.
		AboveOutstandingLimit,
		/// The gateway has no attestation, or its latest is older than `max_attestation_age`.
		ReservesStale,
		/// The gateway's attested reserve would not cover its outstanding amount.
		ReservesBelowSupply,
		/// The gateway has deposited against this reference already.
		DuplicateReference,
		/// The beneficiary cannot receive this amount of the coin (a new account below the
		/// minimum balance, an asset that is not live).
		CannotReceive,
		/// The destination is not registered for this account with this gateway.
		DestinationNotRegistered,
		/// The destination is registered already.
		DestinationAlreadyRegistered,
		/// The account has `MaxDestinations` destinations with this gateway.
		TooManyDestinations,
		/// The amount is below the coin's minimum balance.
		BelowMinimum,
		/// The account does not have that much of the coin free to move.
		InsufficientBalance,
		/// The account would keep less than the coin's minimum balance: withdraw all of it, or
		/// leave at least the minimum.
		WouldLeaveDust,
		/// The account has `MaxOpenWithdrawals` open requests.
		TooManyWithdrawals,
		/// No open request has this id.
		UnknownWithdrawal,
		/// The request belongs to another gateway.
		NotYourGateway,
		/// The request is another account's.
		NotYourWithdrawal,
		/// The request is not in the status this step starts from.
		WrongStatus,
		/// The request was made less than `withdrawal_timeout` blocks ago.
		NotYetCancellable,
		/// A parameter is zero.
		InvalidParams,
		/// An amount would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::BlocksPerDay::get().is_zero(), "BlocksPerDay must be positive");
			assert!(T::MaxOpenWithdrawals::get() > 0, "MaxOpenWithdrawals must be positive");
			assert!(T::MaxDestinations::get() > 0, "MaxDestinations must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Appoints `gateway` for the stablecoin `asset`, with `limits`. It has nothing
		/// outstanding and no attestation yet: it mints once it has attested its reserves.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::GatewayAppointed`]. Fails with
		/// [`Error::AlreadyAGateway`], [`Error::NotAStablecoin`] or [`Error::TooManyGateways`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::appoint_gateway())]
		pub fn appoint_gateway(
			origin: OriginFor<T>,
			gateway: T::AccountId,
			asset: AssetId,
			limits: Limits,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_appoint_gateway(gateway, asset, limits)
		}

		/// Sets a gateway's limits. Lowering one below what it has outstanding stops its
		/// minting; nothing already minted is touched.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::GatewayLimitsSet`]. Fails with
		/// [`Error::NotAGateway`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_gateway_limits())]
		pub fn set_gateway_limits(
			origin: OriginFor<T>,
			gateway: T::AccountId,
			limits: Limits,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_gateway_limits(gateway, limits)
		}

		/// Suspends a gateway at once: it mints nothing, registers no destination and takes no
		/// new withdrawal request; it still settles the requests it has.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::GatewaySuspended`]. Fails with
		/// [`Error::NotAGateway`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::suspend_gateway())]
		pub fn suspend_gateway(origin: OriginFor<T>, gateway: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_gateway_status(gateway, GatewayStatus::Suspended)
		}

		/// Lets a suspended gateway work again.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::GatewayResumed`]. Fails with
		/// [`Error::NotAGateway`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::resume_gateway())]
		pub fn resume_gateway(origin: OriginFor<T>, gateway: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_gateway_status(gateway, GatewayStatus::Active)
		}

		/// Sets the withdrawal timeout and the oldest an attestation may be for minting.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::ParamsSet`]. Fails with
		/// [`Error::InvalidParams`] if either is zero.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ParamsOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Mints `amount` of the signer's coin to `beneficiary`, against the bank record whose
		/// hash is `reference`.
		///
		/// Signed by an active gateway, within its limits, with a recent attestation covering
		/// its outstanding amount after the deposit. Emits [`Event::Deposited`]. Fails with
		/// [`Error::NotAGateway`], [`Error::GatewaySuspended`], [`Error::ZeroAmount`],
		/// [`Error::AboveDepositLimit`], [`Error::AboveDailyLimit`],
		/// [`Error::AboveOutstandingLimit`], [`Error::ReservesStale`],
		/// [`Error::ReservesBelowSupply`], [`Error::DuplicateReference`] or
		/// [`Error::CannotReceive`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(
			origin: OriginFor<T>,
			beneficiary: T::AccountId,
			amount: Balance,
			reference: H256,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_deposit(gateway, beneficiary, amount, reference)
		}

		/// Records the signer's reserve held off chain against its coin: `amount`, with the hash
		/// of the attestation document.
		///
		/// Signed by a gateway (also a suspended one). Emits [`Event::ReservesAttested`]. Fails
		/// with [`Error::NotAGateway`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::attest_reserves())]
		pub fn attest_reserves(
			origin: OriginFor<T>,
			amount: Balance,
			document: H256,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_attest_reserves(gateway, amount, document)
		}

		/// Registers `destination` (the hash of bank details the gateway has verified belong to
		/// `who`) as a place `who` may withdraw to through the signer.
		///
		/// Signed by an active gateway. Emits [`Event::DestinationRegistered`]. Fails with
		/// [`Error::NotAGateway`], [`Error::GatewaySuspended`],
		/// [`Error::DestinationAlreadyRegistered`] or [`Error::TooManyDestinations`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::register_destination())]
		pub fn register_destination(
			origin: OriginFor<T>,
			who: T::AccountId,
			destination: H256,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_register_destination(gateway, who, destination)
		}

		/// Removes a registered destination. Open requests to it are not affected.
		///
		/// Signed by the gateway or by `who`. Emits [`Event::DestinationRemoved`]. Fails with
		/// [`Error::DestinationNotRegistered`], or `BadOrigin` for anyone else.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::remove_destination())]
		pub fn remove_destination(
			origin: OriginFor<T>,
			gateway: T::AccountId,
			who: T::AccountId,
			destination: H256,
		) -> DispatchResult {
			let signer = ensure_signed(origin)?;
			ensure!(signer == gateway || signer == who, DispatchError::BadOrigin);
			Self::do_remove_destination(gateway, who, destination)
		}

		/// Asks `gateway` to pay `amount` of its coin out to `destination`. The coins move at
		/// once from the signer to the gateways account, which holds them until the request ends.
		///
		/// Signed. Emits [`Event::WithdrawalRequested`] with the request's id. Fails with
		/// [`Error::NotAGateway`], [`Error::GatewaySuspended`],
		/// [`Error::DestinationNotRegistered`], [`Error::BelowMinimum`],
		/// [`Error::InsufficientBalance`], [`Error::WouldLeaveDust`] or
		/// [`Error::TooManyWithdrawals`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::request_withdrawal())]
		pub fn request_withdrawal(
			origin: OriginFor<T>,
			gateway: T::AccountId,
			amount: Balance,
			destination: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_withdrawal(who, gateway, amount, destination)
		}

		/// Takes a request up: `Requested` → `Processing`.
		///
		/// Signed by the request's gateway. Emits [`Event::WithdrawalProcessing`]. Fails with
		/// [`Error::UnknownWithdrawal`], [`Error::NotYourGateway`] or [`Error::WrongStatus`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::start_withdrawal())]
		pub fn start_withdrawal(origin: OriginFor<T>, id: WithdrawalId) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_start_withdrawal(gateway, id)
		}

		/// Completes a request the gateway has paid out (`payout` is the hash of the bank's
		/// payout record): `Processing` → completed. Its coins are burned.
		///
		/// Signed by the request's gateway. Emits [`Event::WithdrawalCompleted`]. Fails with
		/// [`Error::UnknownWithdrawal`], [`Error::NotYourGateway`] or [`Error::WrongStatus`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::complete_withdrawal())]
		pub fn complete_withdrawal(
			origin: OriginFor<T>,
			id: WithdrawalId,
			payout: H256,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_complete_withdrawal(gateway, id, payout)
		}

		/// Declines a request (`Requested` or `Processing` → refunded): its coins go back to the
		/// account in full.
		///
		/// Signed by the request's gateway. Emits [`Event::WithdrawalRefunded`]. Fails with
		/// [`Error::UnknownWithdrawal`] or [`Error::NotYourGateway`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::return_withdrawal())]
		pub fn refund_withdrawal(
			origin: OriginFor<T>,
			id: WithdrawalId,
			reason: Reason,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_return_withdrawal(gateway, id, Outcome::Refunded(reason))
		}

		/// Records that the bank transfer of a request failed (`Requested` or `Processing` →
		/// failed): its coins go back to the account in full.
		///
		/// Signed by the request's gateway. Emits [`Event::WithdrawalFailed`]. Fails with
		/// [`Error::UnknownWithdrawal`] or [`Error::NotYourGateway`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::return_withdrawal())]
		pub fn fail_withdrawal(
			origin: OriginFor<T>,
			id: WithdrawalId,
			reason: Reason,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			Self::do_return_withdrawal(gateway, id, Outcome::Failed(reason))
		}

		/// Cancels a request its gateway has left untouched (still `Requested`) for
		/// `withdrawal_timeout` blocks: its coins go back to the account in full.
		///
		/// Signed by the account that asked. Emits [`Event::WithdrawalCancelled`]. Fails with
		/// [`Error::UnknownWithdrawal`], [`Error::NotYourWithdrawal`], [`Error::WrongStatus`]
		/// (the gateway has taken it up) or [`Error::NotYetCancellable`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::return_withdrawal())]
		pub fn cancel_withdrawal(origin: OriginFor<T>, id: WithdrawalId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_withdrawal(who, id)
		}

		/// Returns the coins of a request in full, whatever its status: for a request a gateway
		/// has left in `Processing`.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::WithdrawalRefunded`]. Fails with
		/// [`Error::UnknownWithdrawal`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::return_withdrawal())]
		pub fn force_refund_withdrawal(
			origin: OriginFor<T>,
			id: WithdrawalId,
			reason: Reason,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_force_refund_withdrawal(id, reason)
		}
	}
}

/// How a withdrawal that is not paid out ends.
pub(crate) enum Outcome {
	/// The gateway declined it.
	Refunded(Reason),
	/// Its bank transfer failed.
	Failed(Reason),
	/// Its account cancelled it after the timeout.
	Cancelled,
}
