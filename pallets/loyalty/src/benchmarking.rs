//! Benchmarks of the loyalty pallet: one per call (two for `review`: reward scheduled to vest,
//! or minted at once) and one per timer branch, each in its worst case (a merchant whose recent
//! reviews are full, a redemption through a real order of the orders pallet and its escrow
//! that empties the customer's token account, a vesting that mints to a fresh token account).
//! Discountable orders come from [`Config::BenchmarkHelper`].

// Benchmark set-up: a failure must stop the benchmark (it is never on chain).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use super::*;
use crate::Pallet as Loyalty;
use entrepot_primitives::Completion;
use entrepot_primitives::LoyaltyBenchmarkHelper;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::{
	traits::{One, Saturating},
	FixedU128, Permill,
};

const SEED: u32 = 0;
/// An order id the orders pallet does not know (already archived, as far as loyalty sees).
const ARCHIVED: OrderId = OrderId::MAX - 1;

fn customer<T: Config>() -> T::AccountId {
	account("customer", 0, SEED)
}

fn merchant<T: Config>() -> T::AccountId {
	account("merchant", 0, SEED)
}

/// One token per currency unit, 5% back, everything earns; caps that do not bind.
fn rated<T: Config>() -> CurrencyId {
	let currency = T::BenchmarkHelper::currency();
	CurrencyRates::<T>::insert(
		&currency,
		CurrencyRate {
			reward_rate: Permill::from_percent(5),
			tokens_per_unit: FixedU128::from_u32(1),
			min_order_value: 0,
		},
	);
	let mut limits = Limits::<T>::get();
	limits.per_order_cap = Balance::MAX;
	limits.per_period_cap = Balance::MAX;
	Limits::<T>::put(limits);
	currency
}

fn go_to<T: Config>(at: BlockNumberFor<T>) -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::set_block_number(at);
	at
}

/// Records `order` as completed by `customer` with `merchant`, vesting far in the future.
fn completed<T: Config>(order: OrderId, customer: &T::AccountId, merchant: &T::AccountId) {
	let currency = rated::<T>();
	let vests_at = Loyalty::<T>::now().saturating_add(1_000u32.into());
	Loyalty::<T>::completed(order, &completion::<T>(customer, merchant, currency, vests_at));
	assert!(CompletedOrders::<T>::contains_key(order));
}

/// An order of 1 000 000 whose fees bound no reward the rates allow.
fn completion<T: Config>(
	customer: &T::AccountId,
	merchant: &T::AccountId,
	currency: CurrencyId,
	vests_at: BlockNumberFor<T>,
) -> Completion<T::AccountId, BlockNumberFor<T>> {
	Completion {
		customer: customer.clone(),
		merchant: merchant.clone(),
		currency,
		value: 1_000_000,
		fees: 1_000_000,
		vests_at,
	}
}

/// Fills `merchant`'s recent reviews, so that a new one drops the oldest.
fn full_reviews<T: Config>(merchant: &T::AccountId) {
	let review = Review {
		order_id: OrderId::MAX,
		customer: merchant.clone(),
		rating: 3,
		review_hash: H256::zero(),
		at: Loyalty::<T>::now(),
	};
	let reviews: alloc::vec::Vec<_> = (0..T::MaxRecentReviews::get())
		.map(|i| Review { order_id: OrderId::MAX - 2 - OrderId::from(i), ..review.clone() })
		.collect();
	RecentReviews::<T>::insert(merchant, BoundedVec::truncate_from(reviews));
	ReputationOf::<T>::insert(
		merchant,
		Reputation {
			count: u64::from(T::MaxRecentReviews::get()),
			sum: 3 * u64::from(T::MaxRecentReviews::get()),
		},
	);
}

/// A reward of 50_000 pending for `order` of `customer`, due now.
fn pending<T: Config>(order: OrderId, customer: &T::AccountId) -> BlockNumberFor<T> {
	let now = Loyalty::<T>::now();
	PendingRewards::<T>::insert(
		order,
		PendingReward {
			customer: customer.clone(),
			value: 1_000_000,
			reward: 50_000,
			vests_at: now,
		},
	);
	TotalPending::<T>::mutate(|t| *t = t.saturating_add(50_000));
	Loyalty::<T>::schedule(order, now, TimerKind::Vest);
	now
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn review() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		completed::<T>(1, &customer, &merchant);
		full_reviews::<T>(&merchant);

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), 1, 5, H256::repeat_byte(1));

		assert!(PendingRewards::<T>::contains_key(1));
		assert_eq!(RecentReviews::<T>::get(&merchant).len() as u32, T::MaxRecentReviews::get());
	}

	#[benchmark]
	fn review_vested() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		T::BenchmarkHelper::endow(&customer);
		let currency = rated::<T>();
		// Confirmed (a direct order) and archived: the reward is minted at once, to an account
		// that holds no token yet.
		let now = Loyalty::<T>::now();
		Loyalty::<T>::completed(ARCHIVED, &completion::<T>(&customer, &merchant, currency, now));
		full_reviews::<T>(&merchant);

		#[extrinsic_call]
		review(RawOrigin::Signed(customer), ARCHIVED, 5, H256::repeat_byte(1));

		assert_eq!(TokenIssued::<T>::get(), 50_000);
	}

	#[benchmark]
	fn redeem() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		rated::<T>();
		T::BenchmarkHelper::endow(&customer);
		let order = T::BenchmarkHelper::discountable_order(
			&customer,
			&merchant,
			1_000_000,
			Permill::from_percent(100),
		);
		Loyalty::<T>::mint_reward(ARCHIVED, &customer, 100_000).expect("mints");

		#[extrinsic_call]
		_(RawOrigin::Signed(customer.clone()), order, 100_000);

		assert_eq!(TokenIssued::<T>::get(), 0);
	}

	#[benchmark]
	fn set_currency_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let rate = CurrencyRate {
			reward_rate: Permill::from_percent(1),
			tokens_per_unit: FixedU128::from_u32(2),
			min_order_value: 10,
		};
		let currency = T::BenchmarkHelper::currency();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, currency.clone(), Some(rate));

		assert_eq!(CurrencyRates::<T>::get(currency), Some(rate));
		Ok(())
	}

	#[benchmark]
	fn set_limits() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let limits = LoyaltyLimits {
			per_order_cap: 1,
			per_period_cap: 2,
			period: One::one(),
			review_window: One::one(),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, limits);

		assert_eq!(Limits::<T>::get(), limits);
		Ok(())
	}

	#[benchmark]
	fn set_earning_paused() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true);

		assert!(EarningPaused::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn poke() {
		// A vesting that mints to a fresh token account.
		let customer = customer::<T>();
		T::BenchmarkHelper::endow(&customer);
		pending::<T>(ARCHIVED, &customer);

		#[extrinsic_call]
		_(RawOrigin::Signed(customer), ARCHIVED);

		assert_eq!(TokenIssued::<T>::get(), 50_000);
	}

	#[benchmark]
	fn timer_stale() {
		let now = go_to::<T>(10u32.into());

		#[block]
		{
			Loyalty::<T>::process_timer(1, Timer::new(TimerKind::Vest), now);
		}
	}

	#[benchmark]
	fn timer_review_expiry() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		completed::<T>(1, &customer, &merchant);
		let at = CompletedOrders::<T>::get(1).expect("recorded").review_by;
		let now = go_to::<T>(at);

		#[block]
		{
			Loyalty::<T>::process_timer(1, Timer::new(TimerKind::ReviewExpiry), now);
		}

		assert!(!CompletedOrders::<T>::contains_key(1));
	}

	#[benchmark]
	fn timer_vest() {
		let customer = customer::<T>();
		T::BenchmarkHelper::endow(&customer);
		let now = pending::<T>(ARCHIVED, &customer);

		#[block]
		{
			Loyalty::<T>::process_timer(ARCHIVED, Timer::new(TimerKind::Vest), now);
		}

		assert_eq!(TokenIssued::<T>::get(), 50_000);
	}

	#[benchmark]
	fn timer_vest_postponed() {
		let (customer, merchant) = (customer::<T>(), merchant::<T>());
		rated::<T>();
		let order = T::BenchmarkHelper::discountable_order(
			&customer,
			&merchant,
			1_000_000,
			Permill::from_percent(10),
		);
		let now = pending::<T>(order, &customer);

		#[block]
		{
			Loyalty::<T>::process_timer(order, Timer::new(TimerKind::Vest), now);
		}

		assert!(PendingRewards::<T>::contains_key(order));
	}

	impl_benchmark_test_suite!(Loyalty, crate::mock::new_test_ext(), crate::mock::Test);
}
