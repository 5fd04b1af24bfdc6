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
//! - **Lock**: the funds stay in the payer's account, *held* under [`HoldReason::Escrow`].
//! - **Refund**: releases part of the hold back to the payer's free balance. No fee.
//! - **Release**: moves part of the held funds to the payee, minus the platform fee, which goes
//!   to [`Config::FeeAccount`].
//! - **Direct payment**: an unprotected, peer-to-peer payment: payer to payee at once, minus the
//!   platform fee. Nothing is recorded in storage; only the event remains.
//!
//! ## Why holds and not a pallet account
//!
//! Locked funds are holds with a named reason, for the native token (through
//! `pallet-balances`) and for stablecoins (through `pallet-assets-holder`):
//! - the funds stay visible in the customer's own account, as *held*, with the reason saying
//!   why ([`HoldReason::Escrow`]); wallets and explorers show it without knowing this pallet;
//! - there is no pooled pallet account whose balance could be drained by a bug or mixed between
//!   orders: each order's money can only leave its payer's hold, and only through this pallet;
//! - the escrow mechanism's total per currency is exactly the sum of the payers' escrow holds,
//!   which `try_state` checks account by account.
//!
//! Escrow never mints or burns: money leaves a hold only by `release` (back to the payer) or
//! `transfer_on_hold` (to the payee and the fee account).
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
//! - `lock` requires `amount >= minimum_balance(currency)` and that the payee could receive
//!   the whole amount.
//! - A payout that the payee cannot receive (its account of that asset died and the amount is
//!   below the minimum balance) fails as a whole with [`Error::PayeeCannotReceive`]; nothing
//!   moves, the funds stay locked and the caller may try again later. Nothing is left half-paid.
//! - Holds are moved with `Fortitude::Force`: money committed to an order must not be stuck
//!   behind a freeze placed on the customer's account afterwards.
//!
//! ## Interface
//!
//! - [`Pallet::set_platform_fee`]: the admin origin sets the platform fee.
//! - [`entrepot_primitives::Escrow`], implemented by [`Pallet`]: `lock`, `refund`, `release`,
//!   `locked`, `escrow_info`, `pay_direct`, and `compensate` (a platform dispute's
//!   compensation, paid from the fee account).
//! - Queries for the runtime API: [`Pallet::escrow`], [`Pallet::total_locked`].

#![cfg_attr(not(feature = "std"), no_std)]
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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::tokens::fungibles};
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
		/// `pallet-assets-holder`), e.g. `UnionOf<Balances, AssetsHolder, NativeFromLeft, ..>`.
		type Holds: fungibles::MutateHold<
			Self::AccountId,
			AssetId = CurrencyId,
			Balance = Balance,
			Reason = Self::RuntimeHoldReason,
		>;

		/// Plain transfers of every currency, for direct payments, e.g.
		/// `UnionOf<Balances, Assets, NativeFromLeft, ..>`.
		type Currencies: fungibles::Mutate<Self::AccountId, AssetId = CurrencyId, Balance = Balance>;

		/// Who may set the platform fee (root now, governance later).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

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

	/// Per currency, the sum of what every open escrow still locks.
	#[pallet::storage]
	pub type TotalLocked<T> = StorageMap<_, Blake2_128Concat, CurrencyId, Balance, ValueQuery>;

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
		/// Funds were locked (held on the payer's account) for an order.
		Locked {
			/// The order.
			order_id: OrderId,
			/// Who paid; the funds are held on this account.
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
			/// Whose hold the funds left.
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
		/// The platform fee was changed.
		PlatformFeeSet {
			/// The new fee.
			fee: Permill,
		},
		/// The platform's fee account compensated a party of an order (a platform dispute).
		Compensated {
			/// The order the compensation is about.
			order_id: OrderId,
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
		/// The payer cannot pay this amount (and keep its account alive).
		InsufficientBalance,
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
