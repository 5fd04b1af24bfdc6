//! Benchmarks of the gateways pallet: one per call.

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungibles::Inspect, EnsureOrigin};
use sp_core::H256;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn force_mint() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::asset();
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		let amount = T::Assets::minimum_balance(asset).saturating_mul(1_000);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, beneficiary.clone(), amount, H256::repeat_byte(1));

		assert_eq!(T::Assets::balance(asset, &beneficiary), amount);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
