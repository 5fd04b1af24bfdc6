//! Benchmarks of the validators pallet: each call at its worst case, a set one short of full
//! (for an addition) or full (for a removal), with the account added or removed sorting first
//! so that every other validator shifts. Session keys come from the runtime's
//! [`Config::BenchmarkHelper`].
//!
//! The pallet's other work, planning a set, runs inside `pallet-session`'s session rotation,
//! whose block weight is the whole block.

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

const SEED: u32 = 0;

/// `n` distinct accounts, sorted.
fn sorted_accounts<T: Config>(n: u32) -> Vec<T::AccountId> {
	let mut accounts: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, SEED)).collect();
	accounts.sort();
	accounts.dedup();
	accounts
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut accounts = sorted_accounts::<T>(T::MaxValidators::get());
		if accounts.is_empty() {
			return Err(BenchmarkError::Stop("MaxValidators is zero"));
		}
		// Worst case: the candidate sorts first and the set is one short of full.
		let candidate = accounts.remove(0);
		let set: ValidatorSetOf<T> =
			BoundedVec::try_from(accounts).map_err(|_| BenchmarkError::Stop("set too long"))?;
		Validators::<T>::put(set);
		T::BenchmarkHelper::register_keys(&candidate);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, candidate.clone());

		assert_eq!(Validators::<T>::get().first(), Some(&candidate));
		assert!(Changed::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		if T::MaxValidators::get() <= T::MinValidators::get() {
			// A set that can never shrink: the call always fails and does nothing.
			return Err(BenchmarkError::Weightless);
		}
		// Worst case: the set is full and the validator leaving sorts first.
		let accounts = sorted_accounts::<T>(T::MaxValidators::get());
		let leaving = accounts.first().cloned().ok_or(BenchmarkError::Stop("no accounts"))?;
		let set: ValidatorSetOf<T> =
			BoundedVec::try_from(accounts).map_err(|_| BenchmarkError::Stop("set too long"))?;
		Validators::<T>::put(set);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, leaving.clone());

		assert!(!Validators::<T>::get().contains(&leaving));
		assert!(Changed::<T>::get());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
