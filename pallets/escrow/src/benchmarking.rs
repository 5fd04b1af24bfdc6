//! Benchmarks of the escrow pallet: the admin call and each function of the escrow trait,
//! in the currency the runtime's [`Config::BenchmarkHelper`] provides (a stablecoin: holds
//! of assets cost more than native ones).

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use entrepot_primitives::{legacy_reference as reference, CurrencyBenchmarkHelper, Escrow};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungibles::Inspect, EnsureOrigin, Get};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32, currency: CurrencyId) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::Holds::minimum_balance(currency.clone()).saturating_mul(1_000_000);
	T::BenchmarkHelper::fund(&who, currency, amount);
	who
}

/// A payer, a payee (both funded) and an amount worth locking.
fn setup<T: Config>() -> (T::AccountId, T::AccountId, CurrencyId, Balance) {
	let currency = T::BenchmarkHelper::currency();
	let payer = funded::<T>("payer", 0, currency.clone());
	let payee = funded::<T>("payee", 1, currency.clone());
	let min = T::Holds::minimum_balance(currency.clone());
	T::BenchmarkHelper::fund(&T::FeeAccount::get(), currency.clone(), min);
	// The escrow account holds the currency's minimum, as genesis endows it.
	T::BenchmarkHelper::fund(&Pallet::<T>::account_id(), currency.clone(), min);
	let amount = T::Holds::minimum_balance(currency.clone()).saturating_mul(1_000);
	PlatformFee::<T>::put(T::MaxPlatformFee::get());
	(payer, payee, currency, amount)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_platform_fee() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let fee = T::MaxPlatformFee::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, fee);

		assert_eq!(PlatformFee::<T>::get(), fee);
		Ok(())
	}

	#[benchmark]
	fn lock() -> Result<(), BenchmarkError> {
		let (payer, payee, currency, amount) = setup::<T>();

		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::lock(
				1,
				reference(1),
				&payer,
				&payee,
				currency.clone(),
				amount,
			)?;
		}

		assert_eq!(Pallet::<T>::total_locked(currency), amount);
		Ok(())
	}

	#[benchmark]
	fn refund() -> Result<(), BenchmarkError> {
		let (payer, payee, currency, amount) = setup::<T>();
		<Pallet<T> as Escrow<T::AccountId>>::lock(
			1,
			reference(1),
			&payer,
			&payee,
			currency.clone(),
			amount,
		)?;

		// Worst case: the whole amount, which also closes the escrow.
		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::refund(1, reference(1), amount)?;
		}

		assert!(Escrows::<T>::get(1).is_none());
		Ok(())
	}

	#[benchmark]
	fn release() -> Result<(), BenchmarkError> {
		let (payer, payee, currency, amount) = setup::<T>();
		<Pallet<T> as Escrow<T::AccountId>>::lock(
			1,
			reference(1),
			&payer,
			&payee,
			currency.clone(),
			amount,
		)?;

		// Worst case: fee and net both paid, and the escrow closes.
		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::release(1, reference(1), amount)?;
		}

		assert!(Escrows::<T>::get(1).is_none());
		Ok(())
	}

	#[benchmark]
	fn forfeit() -> Result<(), BenchmarkError> {
		let (payer, payee, currency, amount) = setup::<T>();
		<Pallet<T> as Escrow<T::AccountId>>::lock(
			1,
			reference(1),
			&payer,
			&payee,
			currency.clone(),
			amount,
		)?;
		// Dust is left: just below the currency's minimum balance.
		let dust = T::Holds::minimum_balance(currency.clone()).saturating_sub(1).max(1);
		<Pallet<T> as Escrow<T::AccountId>>::release(1, reference(1), amount.saturating_sub(dust))?;

		// Worst case: the escrow closes.
		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::forfeit(1, reference(1), dust)?;
		}

		assert!(Escrows::<T>::get(1).is_none());
		Ok(())
	}

	#[benchmark]
	fn pay_direct() -> Result<(), BenchmarkError> {
		let (payer, payee, currency, amount) = setup::<T>();

		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::pay_direct(
				1,
				reference(1),
				&payer,
				&payee,
				currency.clone(),
				amount,
			)?;
		}

		Ok(())
	}

	#[benchmark]
	fn compensate() -> Result<(), BenchmarkError> {
		let (_, payee, currency, amount) = setup::<T>();
		let fee_account = T::FeeAccount::get();
		T::BenchmarkHelper::fund(&fee_account, currency.clone(), amount.saturating_mul(2));

		#[block]
		{
			<Pallet<T> as Escrow<T::AccountId>>::compensate(
				1,
				reference(1),
				&payee,
				currency.clone(),
				amount,
			)?;
		}

		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
