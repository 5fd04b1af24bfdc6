//! The validator set logic: reads, then checks, then the writes behind the calls, the
//! [`pallet_session::SessionManager`] that hands the set to the session pallet, and the
//! invariants.

use crate::{pallet::*, SessionIndex, ValidatorSetOf};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{Get, ValidatorRegistration, ValidatorSet},
};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	// ---- Reads -------------------------------------------------------------------------------

	/// Whether every validator of `set` has registered session keys.
	fn all_have_keys(set: &ValidatorSetOf<T>) -> bool {
		set.iter().all(|v| T::ValidatorRegistration::is_registered(v))
	}

	/// Whether a validator of `set` that has session keys is missing from the session's active
	/// set: the session pallet left it out while it had no keys, and it has set them since.
	fn keys_returned(set: &ValidatorSetOf<T>) -> bool {
		let active = T::Session::validators();
		set.iter()
			.any(|v| !active.contains(v) && T::ValidatorRegistration::is_registered(v))
	}

	// ---- Writes ------------------------------------------------------------------------------

	/// Adds `who` to the governance set, in order, and flags the change for the next plan.
	///
	/// Fails with [`Error::AlreadyValidator`], [`Error::TooManyValidators`] or
	/// [`Error::NoSessionKeys`], before writing anything.
	pub(crate) fn do_add_validator(who: T::AccountId) -> DispatchResult {
		let mut set = Validators::<T>::get();
		let Err(index) = set.binary_search(&who) else {
			return Err(Error::<T>::AlreadyValidator.into());
		};
		ensure!(!set.is_full(), Error::<T>::TooManyValidators);
		ensure!(T::ValidatorRegistration::is_registered(&who), Error::<T>::NoSessionKeys);

		set.try_insert(index, who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
		Validators::<T>::put(set);
		Changed::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(())
	}

	/// Removes `who` from the governance set and flags the change for the next plan.
	///
	/// Fails with [`Error::NotValidator`] or [`Error::TooFewValidators`], before writing
	/// anything.
	pub(crate) fn do_remove_validator(who: T::AccountId) -> DispatchResult {
		let mut set = Validators::<T>::get();
		let index = set.binary_search(&who).map_err(|_| Error::<T>::NotValidator)?;
		ensure!(set.len() > T::MinValidators::get() as usize, Error::<T>::TooFewValidators);

		set.remove(index);
		Validators::<T>::put(set);
		Changed::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(())
	}

	/// Answers the session pallet's `new_session(new_index)`, asked at the rotation into
	/// session `new_index - 1`: the set to queue for session `new_index`, or `None` to keep the
	/// active one.
	///
	/// Plans the governance set when it changed since the last plan, or when a validator the
	/// session pallet left out for want of keys has set them again. Keeps [`InSyncFrom`]:
	/// whatever is queued now is the governance set exactly when every validator has keys now
	/// (the session pallet drops those without keys, from a planned set and from a kept one).
	pub(crate) fn plan_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let set = Validators::<T>::get();
		if set.is_empty() {
			// Only when genesis left the pallet unconfigured: keep the session pallet's set
			// rather than hand it an empty one.
			return None;
		}
		let all_have_keys = Self::all_have_keys(&set);

		if Changed::<T>::get() || Self::keys_returned(&set) {
			Changed::<T>::kill();
			InSyncFrom::<T>::set(all_have_keys.then_some(new_index));
			Self::deposit_event(Event::NewSetPlanned {
				session_index: new_index,
				validators: set.to_vec(),
			});
			return Some(set.into_inner());
		}

		// The session pallet keeps the active set, less validators without keys now.
		if !all_have_keys {
			InSyncFrom::<T>::kill();
		} else if InSyncFrom::<T>::get().is_none() {
			InSyncFrom::<T>::put(new_index);
		}
		None
	}

	/// Answers the session pallet's genesis: the genesis set, for sessions 0 and 1.
	///
	/// The session pallet makes it the active set of session 0 as it is, and queues it for
	/// session 1 less validators without keys.
	pub(crate) fn plan_genesis() -> Option<Vec<T::AccountId>> {
		let set = Validators::<T>::get();
		if set.is_empty() {
			return None;
		}
		Changed::<T>::kill();
		InSyncFrom::<T>::set(Self::all_have_keys(&set).then_some(0));
		Some(set.into_inner())
	}

	// ---- Invariants --------------------------------------------------------------------------

	/// Checks every invariant of the pallet's storage against the session pallet.
	///
	/// 1. [`Validators`] is sorted and has no duplicates.
	/// 2. Its length is between [`Config::MinValidators`] and [`Config::MaxValidators`].
	/// 3. When no change waits to be planned ([`Changed`] is false) and the current session is
	///    at or after [`InSyncFrom`], the session's active set equals [`Validators`], in order.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_sorted_and_unique()?;
		Self::try_state_size_within_bounds()?;
		Self::try_state_session_follows_governance()?;
		Ok(())
	}

	fn try_state_sorted_and_unique() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			Validators::<T>::get().windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
			"validator set not sorted or has duplicates"
		);
		Ok(())
	}

	fn try_state_size_within_bounds() -> Result<(), sp_runtime::TryRuntimeError> {
		let len = Validators::<T>::decode_len().unwrap_or_default();
		ensure!(len >= T::MinValidators::get() as usize, "validator set below MinValidators");
		ensure!(len <= T::MaxValidators::get() as usize, "validator set above MaxValidators");
		Ok(())
	}

	fn try_state_session_follows_governance() -> Result<(), sp_runtime::TryRuntimeError> {
		if Changed::<T>::get() {
			return Ok(());
		}
		let Some(from) = InSyncFrom::<T>::get() else {
			return Ok(());
		};
		if T::Session::session_index() < from {
			return Ok(());
		}
		ensure!(
			T::Session::validators() == Validators::<T>::get().into_inner(),
			"session's active set differs from the governance set"
		);
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan_session(new_index)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan_genesis()
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}
