//! # Exchange pallet
//!
//! Paying in the currency one holds: the checkout exchange orders use, the reference rates
//! transaction fees paid in stablecoins are checked against, and the value of a native deposit
//! in another currency.
//!
//! ## Overview
//!
//! Liquidity lives in `pallet-asset-conversion` pools (ENT against each stablecoin, and the
//! stablecoins against each other), behind [`Config::Swap`]. This pallet adds what a payment
//! chain needs on top of them:
//!
//! - **Routes.** A purchase goes through the direct pool of the two currencies or through ENT,
//!   whichever costs less ([`Pallet::route`]).
//! - **Reference rates.** Governance ([`Config::AdminOrigin`]) sets, per currency, how many
//!   planck of ENT one planck of it is worth ([`ReferenceRates`]). They price deposits posted in
//!   a stablecoin ([`Pallet::native_value_in`]) and bound what a fee paid in a stablecoin may
//!   cost: at most [`MaxFeeDeviation`] above its reference value ([`Pallet::fee_bound`]). A
//!   sandwich around a fee swap (push the pool's price up, let the fee swap pay it, sell back)
//!   therefore makes a fee at most that much dearer; beyond it, the transaction is not valid and
//!   nothing is charged.
//! - **Refunds at the paid rate.** [`entrepot_primitives::Exchange::convert_refund`] returns a
//!   refund in the currency the customer paid, at the rate it paid: the platform account
//!   ([`Config::PlatformAccount`]) sells the refunded coins in the pools and pays the customer
//!   what it is owed, bearing the difference either way ([`Event::RefundConverted`] records
//!   both amounts).
//!
//! ## Interface
//!
//! Governance: [`Pallet::set_reference_rate`], [`Pallet::set_max_fee_deviation`]. The orders
//! pallet: [`entrepot_primitives::Exchange`]. The runtime's fee adapter: [`Pallet::fee_bound`].
//! The runtime API is [`runtime_api::ExchangeApi`].

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
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod weights;

pub use entrepot_primitives::{Balance, CurrencyId};

// FRAME's macros expand `expect`s of their own into this module (storage prefixes, error
// metadata); the module holds only the calls' thin wrappers, and the logic they call lives
// outside it, where the lint applies.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::fungibles};
	use frame_system::pallet_prelude::*;
	use pallet_asset_conversion::{QuotePrice, Swap};
	use sp_runtime::{FixedU128, Permill};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the exchange pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Plain transfers of every currency: the platform pays converted refunds with it.
		type Currencies: fungibles::Mutate<Self::AccountId, AssetId = CurrencyId, Balance = Balance>;

		/// The pools: swaps and their quotes.
		type Swap: Swap<Self::AccountId, Balance = Balance, AssetKind = CurrencyId>
			+ QuotePrice<Balance = Balance, AssetKind = CurrencyId>;

		/// The platform's account: it bears the difference when a refund is converted back at
		/// the rate the customer paid.
		type PlatformAccount: Get<Self::AccountId>;

		/// Who sets the reference rates and the fee deviation bound.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Per currency, the planck of the native token one planck of it is worth, as governance
	/// sets it. The native token has none (it is worth itself).
	#[pallet::storage]
	pub type ReferenceRates<T: Config> = StorageMap<_, Blake2_128Concat, CurrencyId, FixedU128>;

	/// How far above its reference value a transaction fee paid in another currency may cost.
	#[pallet::storage]
	pub type MaxFeeDeviation<T: Config> = StorageValue<_, Permill, ValueQuery>;

	/// The reference rates and the fee deviation bound at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(currency, planck of ENT per planck of it)`.
		pub reference_rates: Vec<(CurrencyId, FixedU128)>,
		/// The bound of [`MaxFeeDeviation`].
		pub max_fee_deviation: Permill,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (currency, rate) in &self.reference_rates {
				assert!(
					Pallet::<T>::do_set_reference_rate(currency.clone(), Some(*rate)).is_ok(),
					"genesis reference rate of {currency:?} is invalid"
				);
			}
			MaxFeeDeviation::<T>::put(self.max_fee_deviation);
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance set (or, with `None`, removed) a currency's reference rate.
		ReferenceRateSet {
			/// The currency.
			currency: CurrencyId,
			/// Planck of ENT per planck of `currency`.
			rate: Option<FixedU128>,
		},
		/// Governance set the fee deviation bound.
		MaxFeeDeviationSet {
			/// The bound.
			deviation: Permill,
		},
		/// A customer bought `amount` of `receive` with `paid` of `pay` at checkout.
		Bought {
			/// The customer.
			who: T::AccountId,
			/// The currency paid.
			pay: CurrencyId,
			/// What was paid into the pools.
			paid: Balance,
			/// The currency bought.
			receive: CurrencyId,
			/// What the pools paid out.
			amount: Balance,
		},
		/// A refund was converted back into the currency the customer paid: the customer gave
		/// `amount` of `from` and received `owed` of `to`; the pools paid `pool_out` of `to` to
		/// the platform for `amount`. The platform bore `owed - pool_out` (gained it, if
		/// negative).
		RefundConverted {
			/// The customer.
			who: T::AccountId,
			/// The order's currency.
			from: CurrencyId,
			/// The refund in the order's currency.
			amount: Balance,
			/// The currency the customer paid.
			to: CurrencyId,
			/// What the customer received, at the rate it paid.
			owed: Balance,
			/// What the pools paid for `amount`.
			pool_out: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The native token's rate is always one: it has no reference rate.
		NativeHasNoRate,
		/// A reference rate must be positive.
		ZeroRate,
		/// No pool route between the two currencies, or the pools are too shallow.
		NoRoute,
		/// The two currencies are the same: there is nothing to exchange.
		SameCurrency,
		/// The purchase would cost more than the maximum.
		PriceAboveMaximum,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets `currency`'s reference rate (planck of ENT per planck of it), or removes it with
		/// `None`: fees can then no longer be paid in it, nor deposits posted in it.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::ReferenceRateSet`]. Fails with
		/// [`Error::NativeHasNoRate`] or [`Error::ZeroRate`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_reference_rate())]
		pub fn set_reference_rate(
			origin: OriginFor<T>,
			currency: CurrencyId,
			rate: Option<FixedU128>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_reference_rate(currency, rate)
		}

		/// Sets how far above its reference value a fee paid in another currency may cost.
		///
		/// [`Config::AdminOrigin`]. Emits [`Event::MaxFeeDeviationSet`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_max_fee_deviation())]
		pub fn set_max_fee_deviation(origin: OriginFor<T>, deviation: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			MaxFeeDeviation::<T>::put(deviation);
			Self::deposit_event(Event::MaxFeeDeviationSet { deviation });
			Ok(())
		}
	}
}
