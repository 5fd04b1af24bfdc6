//! Benchmarks of the gateways pallet: one per call, each in its worst case (the per-account
//! lists full, where a call walks one).

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungibles::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use sp_core::H256;

const SEED: u32 = 0;

fn limits(unit: Balance) -> Limits {
	Limits {
		per_deposit: unit.saturating_mul(1_000_000),
		per_day: unit.saturating_mul(1_000_000),
		outstanding: Balance::MAX / 2,
	}
}

/// A new active gateway for the benchmark stablecoin, with an attestation covering a large
/// supply.
fn gateway<T: Config>() -> (T::AccountId, AssetId, Balance) {
	let asset = T::BenchmarkHelper::asset();
	let unit = T::Assets::minimum_balance(asset).max(1);
	let gateway: T::AccountId = account("gateway", 0, SEED);
	Pallet::<T>::do_appoint_gateway(gateway.clone(), asset, limits(unit)).unwrap();
	Pallet::<T>::do_set_params(Params {
		withdrawal_timeout: 10u32.into(),
		max_attestation_age: 1_000u32.into(),
	})
	.unwrap();
	Pallet::<T>::do_attest_reserves(gateway.clone(), Balance::MAX / 2, H256::repeat_byte(1))
		.unwrap();
	(gateway, asset, unit)
}

/// `who` holds coins, has every destination slot with `gateway` used, and every open-request
/// slot but one; returns the destination to withdraw to.
fn full_account<T: Config>(gateway: &T::AccountId, who: &T::AccountId, unit: Balance) -> H256 {
	let destinations = T::MaxDestinations::get();
	for i in 0..destinations {
		Pallet::<T>::do_register_destination(
			gateway.clone(),
			who.clone(),
			H256::repeat_byte(i as u8 + 1),
		)
		.unwrap();
	}
	let asset = Gateways::<T>::get(gateway).unwrap().asset;
	T::Assets::mint_into(asset, who, unit.saturating_mul(1_000)).unwrap();
	Gateways::<T>::mutate(gateway, |g| {
		g.as_mut().unwrap().outstanding += unit.saturating_mul(1_000);
	});
	let destination = H256::repeat_byte(destinations as u8);
	for _ in 1..T::MaxOpenWithdrawals::get() {
		Pallet::<T>::do_request_withdrawal(who.clone(), gateway.clone(), unit, destination)
			.unwrap();
	}
	destination
}

/// A request of a full account, in `Processing` if `processing`; returns its id and account.
fn open_request<T: Config>(processing: bool) -> (T::AccountId, WithdrawalId, T::AccountId) {
	let (gateway, _, unit) = gateway::<T>();
	let who: T::AccountId = account("customer", 0, SEED);
	let destination = full_account::<T>(&gateway, &who, unit);
	let id = NextWithdrawalId::<T>::get();
	Pallet::<T>::do_request_withdrawal(who.clone(), gateway.clone(), unit, destination).unwrap();
	if processing {
		Pallet::<T>::do_start_withdrawal(gateway.clone(), id).unwrap();
	}
	(gateway, id, who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn appoint_gateway() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::asset();
		let gateway: T::AccountId = account("gateway", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gateway.clone(), asset, limits(1));

		assert!(Gateways::<T>::contains_key(&gateway));
		Ok(())
	}

	#[benchmark]
	fn set_gateway_limits() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (gateway, _, _) = gateway::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gateway.clone(), limits(2));

		assert_eq!(Gateways::<T>::get(&gateway).unwrap().limits, limits(2));
		Ok(())
	}

	#[benchmark]
	fn suspend_gateway() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (gateway, _, _) = gateway::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gateway.clone());

		assert_eq!(Gateways::<T>::get(&gateway).unwrap().status, GatewayStatus::Suspended);
		Ok(())
	}

	#[benchmark]
	fn resume_gateway() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (gateway, _, _) = gateway::<T>();
		Pallet::<T>::do_set_gateway_status(gateway.clone(), GatewayStatus::Suspended).unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gateway.clone());

		assert_eq!(Gateways::<T>::get(&gateway).unwrap().status, GatewayStatus::Active);
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = Params { withdrawal_timeout: 7u32.into(), max_attestation_age: 9u32.into() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(GatewayParams::<T>::get(), params);
		Ok(())
	}

	#[benchmark]
	fn deposit() {
		let (gateway, asset, unit) = gateway::<T>();
		let beneficiary: T::AccountId = account("beneficiary", 0, SEED);
		let amount = unit.saturating_mul(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(gateway), beneficiary.clone(), amount, H256::repeat_byte(2));

		assert_eq!(T::Assets::balance(asset, &beneficiary), amount);
	}

	#[benchmark]
	fn attest_reserves() {
		let (gateway, _, _) = gateway::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(gateway.clone()), 1_000, H256::repeat_byte(3));

		assert_eq!(Gateways::<T>::get(&gateway).unwrap().attestation.unwrap().amount, 1_000);
	}

	#[benchmark]
	fn register_destination() {
		let (gateway, _, _) = gateway::<T>();
		let who: T::AccountId = account("customer", 0, SEED);
		for i in 1..T::MaxDestinations::get() {
			Pallet::<T>::do_register_destination(
				gateway.clone(),
				who.clone(),
				H256::repeat_byte(i as u8),
			)
			.unwrap();
		}
		let destination = H256::repeat_byte(0xff);

		#[extrinsic_call]
		_(RawOrigin::Signed(gateway.clone()), who.clone(), destination);

		assert!(Destinations::<T>::get(&gateway, &who).contains(&destination));
	}

	#[benchmark]
	fn remove_destination() {
		let (gateway, _, unit) = gateway::<T>();
		let who: T::AccountId = account("customer", 0, SEED);
		let destination = full_account::<T>(&gateway, &who, unit);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), gateway.clone(), who.clone(), destination);

		assert!(!Destinations::<T>::get(&gateway, &who).contains(&destination));
	}

	#[benchmark]
	fn request_withdrawal() {
		let (gateway, _, unit) = gateway::<T>();
		let who: T::AccountId = account("customer", 0, SEED);
		let destination = full_account::<T>(&gateway, &who, unit);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), gateway, unit, destination);

		assert_eq!(WithdrawalsOf::<T>::get(&who).len() as u32, T::MaxOpenWithdrawals::get());
	}

	#[benchmark]
	fn start_withdrawal() {
		let (gateway, id, _) = open_request::<T>(false);

		#[extrinsic_call]
		_(RawOrigin::Signed(gateway), id);

		assert_eq!(Withdrawals::<T>::get(id).unwrap().status, WithdrawalStatus::Processing);
	}

	#[benchmark]
	fn complete_withdrawal() {
		let (gateway, id, _) = open_request::<T>(true);

		#[extrinsic_call]
		_(RawOrigin::Signed(gateway), id, H256::repeat_byte(4));

		assert!(Withdrawals::<T>::get(id).is_none());
	}

	/// Refunding, failing and cancelling a request cost the same: the coins move back and the
	/// request closes. Measured on a refund, with the longest reason.
	#[benchmark]
	fn return_withdrawal() {
		let (gateway, id, _) = open_request::<T>(true);
		let reason: Reason = alloc::vec![b'x'; 64].try_into().unwrap();

		#[extrinsic_call]
		refund_withdrawal(RawOrigin::Signed(gateway), id, reason);

		assert!(Withdrawals::<T>::get(id).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
