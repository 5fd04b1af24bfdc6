//! # Validators pallet
//!
//! Entrepot's governed validator set: governance adds and removes validators, and
//! `pallet-session`, with this pallet as its [`pallet_session::SessionManager`], hands the set
//! to Aura and GRANDPA at a session boundary.
//!
//! ## Overview
//!
//! The chain is a proof-of-authority chain. Who validates is decided by governance through two
//! calls, [`Pallet::add_validator`] and [`Pallet::remove_validator`], with a floor
//! ([`Config::MinValidators`]) below which the set cannot shrink and a ceiling
//! ([`Config::MaxValidators`]). Nothing else changes the set: there is no staking, no election
//! and no slashing here.
//!
//! A validator's *session keys* (its Aura and GRANDPA public keys) are not this pallet's
//! business: the validator generates them on its node (`author_rotateKeys`) and registers them
//! from its own account with `pallet-session`'s `set_keys`, as on any Substrate chain. This
//! pallet only refuses to add an account that has not done so
//! ([`Error::NoSessionKeys`]), through [`Config::ValidatorRegistration`].
//!
//! ## Terminology
//!
//! - **Governance set**: [`Validators`], the accounts governance chose, sorted, without
//!   duplicates, between [`Config::MinValidators`] and [`Config::MaxValidators`] long.
//! - **Active set**: the validators of the current session, as `pallet-session` keeps them
//!   (`Session::validators`); Aura and GRANDPA authorities are their session keys.
//! - **Queued set**: the set `pallet-session` has queued for the next session.
//! - **Planning**: `pallet-session` asks this pallet for a new set at every session rotation
//!   ([`pallet_session::SessionManager::new_session`]); this pallet answers with the governance
//!   set only when it changed since the last plan ([`Changed`]), else with nothing, and the
//!   session pallet keeps the set it has.
//!
//! ## When a change takes effect
//!
//! `pallet-session` queues a planned set one session ahead. Its `rotate_session`, run in the
//! first block of every session, does in order: the queued set becomes the active set (and is
//! handed to Aura and GRANDPA), the session index goes from `m` to `m + 1`, and
//! `new_session(m + 2)` is asked for the set to queue. So a change made during session `m`
//! (`Session::current_index() == m`) is:
//!
//! 1. planned at the rotation into session `m + 1`: [`Event::NewSetPlanned`] with
//!    `session_index: m + 2`, and `pallet-session` emits `NewQueued`;
//! 2. active from the first block of session `m + 2`: in that block Aura's authorities change
//!    (that block was still authored under the old ones; the blocks after it are authored by
//!    the new set), and GRANDPA schedules the change (with no delay, so it is enacted when that
//!    block is finalized).
//!
//! That is *the session after the next*: between one and two session lengths after the call.
//! Several changes made during one session are planned together, as one new set.
//!
//! A validator that is in the governance set but has no session keys when a set is queued
//! (it purged them with `purge_keys`) is left out by `pallet-session` until it sets keys again;
//! this pallet then plans the governance set again at the next rotation, without a governance
//! call ([`InSyncFrom`] records when the active set is known to equal the governance set).
//!
//! ## Interface
//!
//! - [`Pallet::add_validator`], [`Pallet::remove_validator`]: [`Config::AddRemoveOrigin`]
//!   changes the governance set.
//! - [`pallet_session::SessionManager`], implemented by [`Pallet`]: the runtime sets
//!   `pallet_session::Config::SessionManager = Validators`.
//!
//! ## Runtime wiring
//!
//! - `pallet_session::Config`: `ValidatorId = AccountId`,
//!   `ValidatorIdOf = sp_runtime::traits::ConvertInto`, `SessionManager = Validators`.
//! - This pallet's [`Config::ValidatorRegistration`] and [`Config::Session`] are both
//!   `Session`.
//! - Declare this pallet **before** `Session` in the runtime: genesis configs are built in
//!   declaration order, and the session pallet's genesis asks this pallet for the first set.
//! - [`Config::MaxValidators`] must not exceed Aura's and GRANDPA's `MaxAuthorities`: Aura
//!   truncates a longer list.
//!
//! ## Invariants (`try_state`)
//!
//! 1. [`Validators`] is sorted and has no duplicates.
//! 2. Its length is between [`Config::MinValidators`] and [`Config::MaxValidators`].
//! 3. When no change waits to be planned ([`Changed`] is false) and the current session is at
//!    or after [`InSyncFrom`], the session's active set equals the governance set, in order.

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

use alloc::vec::Vec;
use frame_support::BoundedVec;

/// The index of a session, as `pallet-session` counts them (`sp_staking::SessionIndex`).
pub type SessionIndex = u32;

/// The governance set: validators' accounts, sorted, at most [`Config::MaxValidators`].
pub type ValidatorSetOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxValidators>;

/// Sets up, for the benchmarks, what this pallet cannot do generically.
///
/// The runtime implements it with the real session pallet; the benchmarks never reach into
/// that pallet themselves.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who` (creating or funding its account as needed), so that
	/// [`Config::ValidatorRegistration`] reports it registered.
	fn register_keys(who: &AccountId);
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
		traits::{ValidatorRegistration, ValidatorSet},
	};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the validators pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who may add and remove validators (governance).
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most validators the set may hold. Must not exceed Aura's and GRANDPA's
		/// `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators the set may hold; removals stop there. At least 1.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Tells whether an account has registered session keys: `pallet-session` (`Session`
		/// in the runtime). An account without keys cannot be added.
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;

		/// The session pallet's view of the current session (`Session` in the runtime): its
		/// index and its active validator set.
		type Session: ValidatorSet<Self::AccountId, ValidatorId = Self::AccountId>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers session keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The governance set of validators: sorted, without duplicates, between
	/// [`Config::MinValidators`] and [`Config::MaxValidators`] long.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, ValidatorSetOf<T>, ValueQuery>;

	/// Whether [`Validators`] changed since it was last planned for a session. Set by every
	/// change, cleared when the session pallet is given the new set.
	#[pallet::storage]
	pub type Changed<T> = StorageValue<_, bool, ValueQuery>;

	/// The first session from which the session pallet's active set is known to equal
	/// [`Validators`] (while [`Changed`] is false). `None` while that is not known: some
	/// validator had no session keys when the next session's set was queued.
	#[pallet::storage]
	pub type InSyncFrom<T> = StorageValue<_, SessionIndex, OptionQuery>;

	/// Genesis configuration.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first validators: distinct, at least [`Config::MinValidators`] and at most
		/// [`Config::MaxValidators`] of them, each with session keys in `pallet-session`'s
		/// genesis. Empty leaves the pallet unconfigured (only so that a default genesis
		/// builds); the session pallet then keeps its own genesis keys' accounts.
		pub initial_validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if self.initial_validators.is_empty() {
				return;
			}
			// A chain spec that breaks the set's rules must not start a chain: building its
			// genesis fails (as `pallet-session`'s does for keys), before any block exists.
			let mut set = self.initial_validators.clone();
			set.sort();
			set.dedup();
			assert_eq!(set.len(), self.initial_validators.len(), "duplicate validators in genesis");
			assert!(
				set.len() >= T::MinValidators::get() as usize,
				"fewer genesis validators than MinValidators"
			);
			// Genesis only, never in a block: a chain spec with more validators than
			// `MaxValidators` must not start a chain.
			let set: ValidatorSetOf<T> =
				BoundedVec::try_from(set).expect("more genesis validators than MaxValidators");
			Validators::<T>::put(set);
			// Not planned yet: the session pallet's genesis plans it (this pallet is declared
			// before it), or else the first rotation does.
			Changed::<T>::put(true);
		}
	}

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance added a validator; it validates from the session after the next.
		ValidatorAdded {
			/// The validator's account.
			who: T::AccountId,
		},
		/// Governance removed a validator; it stops validating from the session after the next.
		ValidatorRemoved {
			/// The validator's account.
			who: T::AccountId,
		},
		/// The governance set was handed to the session pallet, which queued it.
		NewSetPlanned {
			/// The session from whose first block the set is active.
			session_index: SessionIndex,
			/// The set, sorted. Validators without session keys are left out by the session
			/// pallet.
			validators: Vec<T::AccountId>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The validator set is full ([`Config::MaxValidators`]).
		TooManyValidators,
		/// Removing the validator would leave fewer than [`Config::MinValidators`].
		TooFewValidators,
		/// The account has not registered session keys (`session.setKeys`).
		NoSessionKeys,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "the chain needs at least one validator");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators is above MaxValidators"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validator set.
		///
		/// The origin must be [`Config::AddRemoveOrigin`]. `who` must have registered session
		/// keys (`session.setKeys` from its own account). It validates from the session after
		/// the next (see the crate docs).
		///
		/// Emits [`Event::ValidatorAdded`]. Fails with [`Error::AlreadyValidator`] if `who` is
		/// in the set, [`Error::TooManyValidators`] if the set is full, and
		/// [`Error::NoSessionKeys`] if `who` has no session keys.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator())]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_add_validator(who)
		}

		/// Removes `who` from the validator set.
		///
		/// The origin must be [`Config::AddRemoveOrigin`]. `who` keeps validating until the
		/// session after the next (see the crate docs); its session keys stay registered.
		///
		/// Emits [`Event::ValidatorRemoved`]. Fails with [`Error::NotValidator`] if `who` is not
		/// in the set, and [`Error::TooFewValidators`] if the set would fall below
		/// [`Config::MinValidators`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(who)
		}
	}
}
