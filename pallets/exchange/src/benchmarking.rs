//! Benchmarks of the exchange pallet's calls.

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;
use sp_runtime::{FixedU128, Permill};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_reference_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let currency = CurrencyId::WithId(7);
		let rate = Some(FixedU128::from_rational(3, 2));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, currency.clone(), rate);

		assert_eq!(ReferenceRates::<T>::get(currency), rate);
		Ok(())
	}

	#[benchmark]
	fn set_max_fee_deviation() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Permill::from_percent(7));

		assert_eq!(MaxFeeDeviation::<T>::get(), Permill::from_percent(7));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
