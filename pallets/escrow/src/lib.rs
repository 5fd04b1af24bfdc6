//! # Escrow pallet
//!
//! Entrepot's payment layer: the only code that moves an order's escrowed money.
//!
//! ## Overview
//!
//! The business layer (`pallet-orders`) and, later, the disputes pallet tell this pallet *what*
//! should happen to an order's money through the [`entrepot_primitives::Escrow`] trait:
//! lock it, refund part of it to the payer, release part of it to the payee, or pay directly.
//! This pallet does it, takes the platform fee on what the payee receives, and emits one event
//! per movement naming the order, the parties, the currency and the amounts, so that a
//! statement can be rebuilt from events alone.
//!
//! ## Terminology
//!
//! - **Escrow**: the record of one order's locked money ([`EscrowInfo`]), keyed by order id.
//! - **Escrow account**: the pallet's own keyless account ([`Pallet::account_id`], from
//!   [`Config::PalletId`]). Locked money is moved there and *held* on it under
//!   [`HoldReason::Escrow`]; nobody can sign for it and only this pallet moves what it holds.
//! - **Lock**: moves the amount from the payer to the escrow account and holds it there.
//! - **Refund**: returns part of an order's held funds to the payer. No fee.
//! - **Release**: pays part of an order's held funds to the payee, minus the platform fee,
//!   which goes to [`Config::FeeAccount`].
//! - **Forfeit**: pays dust of an order's held funds (below the currency's minimum balance) to
//!   the fee account, for dust its recipient cannot receive any more (see the orders pallet's
//!   retry rule). Anything larger waits until it can be delivered.
//! - **Direct payment**: an unprotected, peer-to-peer payment: payer to payee at once, minus the
//!   platform fee. Nothing is recorded in storage; only the event remains.
//!
//! ## Why an escrow account, and not holds on the payer
//!
//! Escrowed money leaves the payer's account. Money held on the payer's own account would still
//! count in its total balance, and freezes (a conviction vote's lock, a vesting schedule)
//! apply to the total: a customer could lock ENT in an order, vote with the same ENT, and have
//! the order pay it away from under the vote lock (or vote first and escrow the voted ENT).
//! Moving the money out:
//! - respects every freeze at lock time: the transfer is polite, so frozen funds cannot be
//!   escrowed;
//! - takes escrowed money out of what the payer can vote, stake or spend: it is the merchant's
//!   or the customer's only when the order says so;
//! - needs no forced transfer anywhere: every payout leaves the escrow account, which no
//!   freeze covers.
//!
//! The escrow account holds each order's money under a named hold, so the escrow mechanism's
//! total per currency is exactly what is held there ([`Pallet::total_locked`], checked against
//! the open escrows by `try_state`),
//! whatever anyone else sends to the account. The account keeps the minimum balance of every
//! currency free beside its holds: the runtime endows it at genesis for ENT and the genesis
//! stablecoins; a currency whose minimum balance it does not hold cannot be escrowed
//! ([`Error::EscrowAccountNotFunded`]) until someone transfers that minimum to it.
//!
//! Escrow never mints or burns: money only moves between accounts.
//!
//! ## Fee arithmetic
//!
//! `fee = PlatformFee * gross`, rounded **down** (in the merchant's favour), `net = gross -
//! fee`; so `net + fee == gross` exactly, and for every settled order
//! `merchant + customer + fees == amount paid` to the unit. If the fee account cannot accept
//! the fee (for an asset: the fee is below the asset's minimum balance and the fee account
//! holds none of it), the fee is **zero** for that payout and the payee receives it all; the
//! runtime endows the fee account with every genesis stablecoin's minimum balance so this
//! happens only for assets created later.
//!
//! ## Dust and existential deposits
//!
//! - `lock` requires `amount >= minimum_balance(currency)`, that the payee could receive the
//!   whole amount, and that the payer can pay it without touching frozen funds and keep its
//!   account alive.
//! - A payout that the payee cannot receive (its account of that asset died and the amount is
//!   below the minimum balance) fails as a whole with [`Error::PayeeCannotReceive`]; nothing
//!   moves, the funds stay locked and the caller may try again later, or refund or forfeit the
//!   dust. Nothing is left half-paid.
//!
//! ## Interface
//!
//! - [`Pallet::set_platform_fee`]: the admin origin sets the platform fee.
//! - [`entrepot_primitives::Escrow`], implemented by [`Pallet`]: `lock`, `refund`, `release`,
//!   `forfeit`, `locked`, `escrow_info`, `pay_direct`, and `compensate` (a platform dispute's
//!   compensation, paid from the fee account).
//! - Queries for the runtime API: [`Pallet::escrow`], [`Pallet::total_locked`].

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
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use entrepot_primitives::{Balance, CurrencyId, EscrowInfo, OrderId, Payout};

/// An escrow record of this runtime.
pub type EscrowOf<T> = EscrowInfo<<T as frame_system::Config>::AccountId>;

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use entrepot_primitives::H256;
	use frame_support::{pallet_prelude::*, traits::tokens::fungibles, PalletId};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Permill;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the escrow pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Holds of every currency (native through `pallet-balances`, assets through
		/// `pallet-assets-holder`), e.g. `UnionOf<Balances, AssetsHolder, NativeFromLeft, ..>`:
		/// escrowed money is held on the escrow account.
		type Holds: fungibles::MutateHold<
			Self::AccountId,
			AssetId = CurrencyId,
			Balance = Balance,
			Reason = Self::RuntimeHoldReason,
		>;

		/// Plain transfers of every currency, for direct payments, e.g.
		/// `UnionOf<Balances, Assets, NativeFromLeft, ..>`.
		type Currencies: fungibles::Mutate<Self::AccountId, AssetId = CurrencyId, Balance = Balance>;

		/// Who may set the platform fee.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The id of the escrow account, which holds every order's escrowed money.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The platform's fee account; it receives every fee.
		#[pallet::constant]
		type FeeAccount: Get<Self::AccountId>;

		/// The highest platform fee the admin origin may set.
		#[pallet::constant]
		type MaxPlatformFee: Get<Permill>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates and funds a currency for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: entrepot_primitives::CurrencyBenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The funds are locked in escrow for an order.
		#[codec(index = 0)]
		Escrow,
	}

	/// The platform fee, taken from every amount paid to a payee.
	#[pallet::storage]
	pub type PlatformFee<T> = StorageValue<_, Permill, ValueQuery>;

	/// The open escrows, by order. A record is removed when nothing remains locked.
	#[pallet::storage]
	pub type Escrows<T: Config> = StorageMap<_, Twox64Concat, OrderId, EscrowOf<T>>;

	/// Genesis configuration.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial platform fee.
		pub platform_fee: Permill,
		#[serde(skip)]
		#[doc(hidden)]
		pub _marker: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.platform_fee <= T::MaxPlatformFee::get(), "platform fee above maximum");
			PlatformFee::<T>::put(self.platform_fee);
		}
	}

	/// Events: together they are the settlement record of every order's money.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Funds were locked for an order: moved from the payer to the escrow account and held
		/// there.
		Locked {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who paid.
			payer: T::AccountId,
			/// Who will be paid.
			payee: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount locked.
			amount: Balance,
		},
		/// Locked funds were returned to the payer.
		Refunded {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who got the funds back.
			payer: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount returned.
			amount: Balance,
		},
		/// Locked funds were paid to the payee, minus the platform fee.
		Released {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who paid for the order.
			payer: T::AccountId,
			/// Who was paid.
			payee: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount taken from the escrow.
			gross: Balance,
			/// The platform fee taken out of `gross`.
			fee: Balance,
			/// What the payee received: `gross - fee`.
			net: Balance,
		},
		/// A direct (unprotected) payment was made for an order.
		DirectPaid {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who paid.
			payer: T::AccountId,
			/// Who was paid.
			payee: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount the payer paid.
			gross: Balance,
			/// The platform fee taken out of `gross`.
			fee: Balance,
			/// What the payee received: `gross - fee`.
			net: Balance,
		},
		/// Nothing remains locked for an order; its escrow record was removed.
		Closed {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who paid.
			payer: T::AccountId,
			/// Who was paid.
			payee: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// What was locked in total.
			amount: Balance,
			/// What was returned to the payer in total.
			refunded: Balance,
			/// What was released towards the payee in total, before fees.
			released_gross: Balance,
			/// What the platform received in total.
			fees: Balance,
		},
		/// Locked funds that neither party could receive were paid to the platform's fee
		/// account.
		Forfeited {
			/// The order.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who paid for the order.
			payer: T::AccountId,
			/// The currency.
			currency: CurrencyId,
			/// The amount paid to the fee account.
			amount: Balance,
		},
		/// The platform fee was changed.
		PlatformFeeSet {
			/// The new fee.
			fee: Permill,
		},
		/// The platform's fee account compensated a party of an order (a platform dispute).
		Compensated {
			/// The order the compensation is about.
			order_id: OrderId,
			/// The order's payment reference.
			reference: H256,
			/// Who received it.
			who: T::AccountId,
			/// Its currency.
			currency: CurrencyId,
			/// How much.
			amount: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The order already has an open escrow.
		AlreadyLocked,
		/// The order has no open escrow.
		NoEscrow,
		/// The amount is zero.
		ZeroAmount,
		/// The amount is below the currency's minimum balance.
		BelowMinimum,
		/// Payer and payee are the same account.
		PayerIsPayee,
		/// The payee cannot receive this amount of this currency (unknown asset, or a new
		/// account that would stay below the minimum balance).
		PayeeCannotReceive,
		/// The amount exceeds what is still locked for the order.
		ExceedsLocked,
		/// The payer cannot pay this amount from funds no freeze covers, and keep its account
		/// alive.
		InsufficientBalance,
		/// The escrow account does not hold the currency's minimum balance: transfer that
		/// minimum to it before orders are escrowed in this currency.
		EscrowAccountNotFunded,
		/// Only dust (below the currency's minimum balance) may be forfeited.
		NotDust,
		/// A funded lock did not bring exactly its amount into the escrow account.
		FundingMismatch,
		/// The fee is above [`Config::MaxPlatformFee`].
		FeeAboveMaximum,
		/// An amount overflowed.
		Overflow,
		/// The platform's fee account cannot pay the compensation and stay alive.
		FeeAccountShort,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxPlatformFee::get() < Permill::one(),
				"a 100% platform fee would leave merchants nothing"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the platform fee taken from every amount paid to a payee.
		///
		/// The origin must be [`Config::AdminOrigin`]. Applies to every later payout,
		/// including payouts of orders placed earlier.
		///
		/// Emits [`Event::PlatformFeeSet`]. Fails with [`Error::FeeAboveMaximum`] if `fee` is
		/// above [`Config::MaxPlatformFee`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_platform_fee())]
		pub fn set_platform_fee(origin: OriginFor<T>, fee: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_platform_fee(fee)
		}
	}
}
