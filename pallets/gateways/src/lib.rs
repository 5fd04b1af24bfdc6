//! # Gateways pallet
//!
//! Who may create stablecoins on Entrepot.
//!
//! ## Overview
//!
//! The stablecoins orders are paid in (`pallet-assets` assets) must be backed by money held off
//! chain, so no key may mint them, burn someone's balance or freeze an account at will. Every
//! role `pallet-assets` gives an asset (owner, issuer, admin, freezer) belongs to this pallet's
//! account ([`Pallet::account_id`], from [`Config::PalletId`]): a keyless account nobody can
//! sign for. The only way to issue a stablecoin is this pallet's [`Pallet::force_mint`], which
//! only [`Config::AdminOrigin`] (governance) may call, recording the reference of the off-chain
//! deposit it answers. It issues only assets whose issuer is this account: never the loyalty
//! token (its own pallet's) nor an asset someone else created.
//!
//! ## Terminology
//!
//! - **Issuer account**: this pallet's account, holding every role of the stablecoins.
//! - **Reference**: the hash of the off-chain record behind an issuance (a bank transfer, a
//!   reserve report); the event carries it so that supply can be traced to it.
//!
//! ## Interface
//!
//! - [`Pallet::force_mint`]: governance issues `amount` of a stablecoin to an account.

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

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use entrepot_primitives::{AssetId, Balance};

/// Sets up the benchmarks of the gateways pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// An asset that exists (a stablecoin of the runtime).
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
		traits::{
			fungibles::{roles, Inspect, Mutate},
			tokens::{DepositConsequence, Provenance},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::traits::AccountIdConversion;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the gateways pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The assets pallet holding the stablecoins (and their roles).
		type Assets: Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ roles::Inspect<Self::AccountId>;

		/// This pallet's id: its account holds every role of the stablecoins.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Who may issue stablecoins (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Names an existing asset for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Events: every issuance.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance issued a stablecoin.
		Minted {
			/// The stablecoin.
			asset: AssetId,
			/// Who received it.
			beneficiary: T::AccountId,
			/// How much.
			amount: Balance,
			/// The hash of the off-chain record behind the issuance.
			reference: H256,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The asset is not a stablecoin of this pallet: its issuer is another account (the
		/// loyalty token, an asset anyone created).
		NotAStablecoin,
		/// The beneficiary cannot receive this amount of this asset (unknown asset, a new
		/// account below the minimum balance, or a blocked account).
		CannotReceive,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Issues `amount` of `asset` to `beneficiary`, against the off-chain record
		/// `reference`.
		///
		/// [`Config::AdminOrigin`]. Only assets whose issuer is this pallet's account. Emits
		/// [`Event::Minted`]. Fails with [`Error::ZeroAmount`], [`Error::NotAStablecoin`] or
		/// [`Error::CannotReceive`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::force_mint())]
		pub fn force_mint(
			origin: OriginFor<T>,
			asset: AssetId,
			beneficiary: T::AccountId,
			amount: Balance,
			reference: H256,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			ensure!(
				<T::Assets as roles::Inspect<_>>::issuer(asset) == Some(Self::account_id()),
				Error::<T>::NotAStablecoin
			);
			ensure!(
				T::Assets::can_deposit(asset, &beneficiary, amount, Provenance::Minted)
					== DepositConsequence::Success,
				Error::<T>::CannotReceive
			);

			T::Assets::mint_into(asset, &beneficiary, amount)?;
			Self::deposit_event(Event::Minted { asset, beneficiary, amount, reference });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The issuer account: it holds every role of the stablecoins, and nobody can sign for
		/// it.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}
	}
}
