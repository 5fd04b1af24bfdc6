//! Unit tests of the loyalty pallet against the real orders, escrow, balances and assets
//! pallets, named after the behaviour they show. Every test ends with the invariants of
//! loyalty, orders and escrow and the token's supply check (see [`build_and_execute`]).
//!
//! Arithmetic used throughout: ALICE's order with BOB is 2 × 450 + 100 = 1_000 USD, shipped
//! and confirmed at block 1, so it settles 1_000 and its after-sales window closes at block 31.
//! USD pays 5% back at 100 tokens per base unit: 1_000 × 5% = 50 USD units, × 100 = 5_000
//! tokens, below the per-order cap of 10_000. The bound by the fees does not bite: the 20%
//! platform fee on the 900 paid out at confirmation (10% is held back) is 180, half of it 90
//! units. BOB accepts tokens for 10% of an order: 100 USD, i.e. 10_000 tokens. The token's
//! minimum balance is 100 tokens.

use crate::{
	mock::*, Balance, CompletedOrders, CurrencyId, CurrencyRate, CurrencyRates, EarningPaused,
	Error, Event, Limits, LoyaltyLimits, OrderId, PendingRewards, RecentReviews, Reputation,
	ReputationOf, Timer, TimerAt, TimerCursor, TimerKind, Timers, TokenIssued, TotalPending,
};
use entrepot_primitives::PaymentMode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungibles::Inspect, Hooks},
	weights::Weight,
};
use pallet_orders::{NextOrderId, RefundReason};
use sp_core::H256;
use sp_runtime::{DispatchError, FixedU128, Permill};

mod property;
mod self_dealing;

type OrdersError = pallet_orders::Error<Test>;

fn ev(e: Event<Test>) {
	System::assert_has_event(RuntimeEvent::Loyalty(e));
}

fn free(currency: CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

fn register(who: AccountId) {
	assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(who), policy()));
}

/// Places a `quantity × unit_price + 100` order from `customer` with BOB (registering BOB
/// first if needed).
fn place_of(
	customer: AccountId,
	currency: CurrencyId,
	quantity: u32,
	unit_price: Balance,
	mode: PaymentMode,
) -> OrderId {
	if pallet_orders::Merchants::<Test>::get(BOB).is_none() {
		register(BOB);
	}
	let id = NextOrderId::<Test>::get();
	assert_ok!(Orders::place_order(
		RuntimeOrigin::signed(customer),
		BOB,
		currency,
		items(quantity, unit_price),
		100,
		H256::repeat_byte(1),
		None,
		mode,
		H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
	));
	id
}

/// ALICE's 1_000 USD escrow order with BOB, not shipped.
fn placed() -> OrderId {
	place_of(ALICE, USDX, 2, 450, PaymentMode::Escrow)
}

fn ship(id: OrderId) {
	assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(2)));
}

fn confirm(customer: AccountId, id: OrderId) {
	assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(customer), id));
}

/// ALICE's 1_000 USD order, shipped and confirmed: reviewable.
fn completed() -> OrderId {
	let id = placed();
	ship(id);
	confirm(ALICE, id);
	id
}

/// A completed order of `customer`, of `quantity × unit_price + 100` USD.
fn completed_of(customer: AccountId, quantity: u32, unit_price: Balance) -> OrderId {
	let id = place_of(customer, USDX, quantity, unit_price, PaymentMode::Escrow);
	ship(id);
	confirm(customer, id);
	id
}

fn review(who: AccountId, id: OrderId, rating: u8) -> sp_runtime::DispatchResult {
	Loyalty::review(RuntimeOrigin::signed(who), id, rating, H256::repeat_byte(9))
}

/// ALICE earns and vests 5_000 tokens per order reviewed, `n` orders (at most 2 per period).
fn earn(n: u32) {
	let ids: Vec<OrderId> = (0..n).map(|_| completed()).collect();
	for id in &ids {
		assert_ok!(review(ALICE, *id, 5));
	}
	run_to_block(System::block_number() + 31);
	assert_eq!(tokens(ALICE), 5_000 * Balance::from(n));
}

// ---- Earning --------------------------------------------------------------------------------

#[test]
fn confirming_receipt_makes_an_order_reviewable() {
	build_and_execute(|| {
		let id = completed();
		ev(Event::OrderReviewable { order_id: id, customer: ALICE, value: 1_000, review_by: 51 });
		let c = CompletedOrders::<Test>::get(id).expect("recorded");
		// The fees: 20% of the 900 paid out at confirmation.
		assert_eq!(
			(c.customer, c.merchant, c.value, c.fees, c.vests_at),
			(ALICE, BOB, 1_000, 180, 31)
		);
	});
}

#[test]
fn review_earns_a_reward_that_vests_when_the_after_sales_window_closes() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		ev(Event::Reviewed {
			order_id: id,
			customer: ALICE,
			merchant: BOB,
			rating: 5,
			review_hash: H256::repeat_byte(9),
			reward: 5_000,
			counted: true,
			vests_at: 31,
		});
		assert!(CompletedOrders::<Test>::get(id).is_none());
		assert_eq!(PendingRewards::<Test>::get(id).expect("pending").reward, 5_000);
		assert_eq!(TotalPending::<Test>::get(), 5_000);
		run_to_block(30);
		assert_eq!(tokens(ALICE), 0);
		run_to_block(31);
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 5_000 });
		assert_eq!(tokens(ALICE), 5_000);
		assert_eq!(TokenIssued::<Test>::get(), 5_000);
		assert_eq!(TotalPending::<Test>::get(), 0);
		assert!(PendingRewards::<Test>::get(id).is_none());
	});
}

#[test]
fn auto_confirmed_orders_are_reviewable_too() {
	build_and_execute(|| {
		let id = placed();
		ship(id);
		run_to_block(21);
		ev(Event::OrderReviewable { order_id: id, customer: ALICE, value: 1_000, review_by: 71 });
		assert_ok!(review(ALICE, id, 4));
	});
}

#[test]
fn direct_orders_earn_once_shipped_and_confirmed_and_vest_at_once() {
	build_and_execute(|| {
		// 2 × 19_950 + 100 = 40_000 ENT: 1% = 400 ENT units, × 0.5 = 200 tokens (the fee bound,
		// half of the 20% fee, is 4_000 units).
		let id = place_of(ALICE, ENT, 2, 19_950, PaymentMode::Direct);
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
			OrdersError::NotShippedYet
		);
		ship(id);
		confirm(ALICE, id);
		assert_ok!(review(ALICE, id, 5));
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 200 });
		assert_eq!(tokens(ALICE), 200);
		assert_eq!(TotalPending::<Test>::get(), 0);
	});
}

#[test]
fn the_reward_is_bounded_by_a_share_of_the_fees_the_order_paid() {
	build_and_execute(|| {
		// A 1% fee: 9 of the 900 paid out at confirmation. Half of it is 4 units (rounded
		// down), 400 tokens: less than the rate's 5_000.
		assert_ok!(Escrow::set_platform_fee(RuntimeOrigin::root(), Permill::from_percent(1)));
		let id = completed();
		assert_eq!(CompletedOrders::<Test>::get(id).expect("recorded").fees, 9);
		assert_ok!(review(ALICE, id, 5));
		ev(Event::Reviewed {
			order_id: id,
			customer: ALICE,
			merchant: BOB,
			rating: 5,
			review_hash: H256::repeat_byte(9),
			reward: 400,
			counted: true,
			vests_at: 31,
		});
		// A direct order of 80_000 ENT paid a fee of 800: half of it, 400 units, at half a token
		// per unit, 200 tokens (the rate alone would give 400).
		let direct = place_of(ALICE, ENT, 2, 39_950, PaymentMode::Direct);
		ship(direct);
		confirm(ALICE, direct);
		assert_ok!(review(ALICE, direct, 5));
		ev(Event::RewardVested { order_id: direct, customer: ALICE, amount: 200 });
		// No fee: no reward, at any rate; the review still counts.
		assert_ok!(Escrow::set_platform_fee(RuntimeOrigin::root(), Permill::zero()));
		let free_of_fees = completed();
		assert_eq!(CompletedOrders::<Test>::get(free_of_fees).expect("recorded").fees, 0);
		assert_ok!(review(ALICE, free_of_fees, 5));
		ev(Event::Reviewed {
			order_id: free_of_fees,
			customer: ALICE,
			merchant: BOB,
			rating: 5,
			review_hash: H256::repeat_byte(9),
			reward: 0,
			counted: true,
			vests_at: 31,
		});
		assert!(PendingRewards::<Test>::get(free_of_fees).is_none());
		assert_eq!(TotalPending::<Test>::get(), 400);
		assert_eq!(ReputationOf::<Test>::get(BOB), Some(Reputation { count: 3, sum: 15 }));
	});
}

#[test]
fn unshipped_direct_orders_that_expire_are_not_reviewable() {
	build_and_execute(|| {
		let id = place_of(ALICE, ENT, 2, 450, PaymentMode::Direct);
		run_to_block(11);
		assert!(pallet_orders::Orders::<Test>::get(id).is_none());
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
	});
}

#[test]
fn review_fails_for_bad_ratings_strangers_and_twice() {
	build_and_execute(|| {
		let id = placed();
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
		ship(id);
		confirm(ALICE, id);
		assert_noop!(review(ALICE, id, 0), Error::<Test>::InvalidRating);
		assert_noop!(review(ALICE, id, 6), Error::<Test>::InvalidRating);
		assert_noop!(review(DAVE, id, 5), Error::<Test>::NotCustomer);
		assert_noop!(review(ALICE, 99, 5), Error::<Test>::NotReviewable);
		assert_ok!(review(ALICE, id, 5));
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
	});
}

#[test]
fn review_fails_once_the_review_window_closed() {
	build_and_execute(|| {
		let id = completed();
		run_to_block(50);
		// The block of the deadline, before its timer ran.
		System::set_block_number(51);
		assert_noop!(review(ALICE, id, 5), Error::<Test>::ReviewWindowClosed);
		Loyalty::on_initialize(51);
		ev(Event::ReviewWindowClosed { order_id: id });
		assert!(CompletedOrders::<Test>::get(id).is_none());
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
	});
}

#[test]
fn any_number_of_orders_complete_in_one_block_each_with_its_own_timer() {
	build_and_execute(|| {
		// Scheduling never fails: twelve review windows close in block 51, none spills.
		let ids: Vec<OrderId> = (0..12).map(|_| completed()).collect();
		for id in &ids {
			assert_eq!(TimerAt::<Test>::get(id), Some(51));
			assert_eq!(Timers::<Test>::get(51, id), Some(Timer::new(TimerKind::ReviewExpiry)));
			ev(Event::OrderReviewable {
				order_id: *id,
				customer: ALICE,
				value: 1_000,
				review_by: 51,
			});
		}
		assert_eq!(Timers::<Test>::iter_prefix(51).count(), 12);
		assert_eq!(Timers::<Test>::iter().count(), 12);
	});
}

#[test]
fn a_review_replaces_the_review_expiry_by_the_vesting_or_cancels_it() {
	build_and_execute(|| {
		// A review that earns: its window's timer gives way to the vesting at 31.
		let earning = completed();
		assert_ok!(review(ALICE, earning, 5));
		assert_eq!(Timers::<Test>::get(51, earning), None);
		assert_eq!(Timers::<Test>::get(31, earning), Some(Timer::new(TimerKind::Vest)));
		assert_eq!(TimerAt::<Test>::get(earning), Some(31));
		// A review that earns nothing: no timer is left at all.
		assert_ok!(Loyalty::set_earning_paused(RuntimeOrigin::root(), true));
		let unpaid = completed();
		assert_eq!(TimerAt::<Test>::get(unpaid), Some(51));
		assert_ok!(review(ALICE, unpaid, 4));
		ev(Event::Reviewed {
			order_id: unpaid,
			customer: ALICE,
			merchant: BOB,
			rating: 4,
			review_hash: H256::repeat_byte(9),
			reward: 0,
			counted: true,
			vests_at: 31,
		});
		assert_eq!(TimerAt::<Test>::get(unpaid), None);
		assert_eq!(Timers::<Test>::iter_prefix(51).count(), 0);
		// A clawback that leaves nothing removes the vesting's timer at once: a reward of one
		// token (5% of 1_000 at 1/50 token per unit), then a refund of 1.
		assert_ok!(Loyalty::set_earning_paused(RuntimeOrigin::root(), false));
		let tiny_rate =
			CurrencyRate { tokens_per_unit: FixedU128::from_rational(1, 50), ..usd_rate() };
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(tiny_rate)));
		let tiny = completed();
		assert_ok!(review(ALICE, tiny, 5));
		assert_eq!(PendingRewards::<Test>::get(tiny).expect("pending").reward, 1);
		assert_eq!(TimerAt::<Test>::get(tiny), Some(31));
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			tiny,
			1,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), tiny));
		ev(Event::RewardClawedBack { order_id: tiny, amount: 1, remaining: 0 });
		assert!(PendingRewards::<Test>::get(tiny).is_none());
		assert_eq!(TimerAt::<Test>::get(tiny), None);
		// Only the first order's vesting is left.
		assert_eq!(
			Timers::<Test>::iter().collect::<Vec<_>>(),
			vec![(31, earning, Timer::new(TimerKind::Vest))]
		);
	});
}

#[test]
fn unreviewed_orders_are_forgotten_when_the_window_closes() {
	build_and_execute(|| {
		let id = completed();
		run_to_block(50);
		assert!(CompletedOrders::<Test>::get(id).is_some());
		run_to_block(51);
		ev(Event::ReviewWindowClosed { order_id: id });
		assert!(CompletedOrders::<Test>::get(id).is_none());
	});
}

#[test]
fn refunds_after_review_claw_the_reward_back_in_proportion() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(review(ALICE, id, 2));
		// 100 of the 1_000 back against the holdback: the reward keeps 900 / 1_000.
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		ev(Event::RewardClawedBack { order_id: id, amount: 500, remaining: 4_500 });
		assert_eq!(TotalPending::<Test>::get(), 4_500);
		run_to_block(31);
		assert_eq!(tokens(ALICE), 4_500);
	});
}

#[test]
fn refunding_the_holdback_claws_back_its_share() {
	build_and_execute(|| {
		// Holdback 50% of 1_000: refund all 500 locked after 500 was paid.
		let mut p = policy();
		p.holdback = Permill::from_percent(50);
		register(BOB);
		assert_ok!(Orders::update_policy(RuntimeOrigin::signed(BOB), p));
		let id = completed();
		assert_ok!(review(ALICE, id, 1));
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			500,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		ev(Event::RewardClawedBack { order_id: id, amount: 2_500, remaining: 2_500 });
		assert_eq!(PendingRewards::<Test>::get(id).expect("half left").reward, 2_500);
		run_to_block(40);
		assert_eq!(tokens(ALICE), 2_500);
	});
}

#[test]
fn refunds_before_review_lower_the_value_reviewed() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(CompletedOrders::<Test>::get(id).expect("open").value, 900);
		assert_ok!(review(ALICE, id, 3));
		assert_eq!(PendingRewards::<Test>::get(id).expect("pending").reward, 4_500);
	});
}

#[test]
fn rewards_are_capped_per_order_and_per_account_per_period() {
	build_and_execute(|| {
		// 3 × 1_000 + 100 = 3_100 USD: 155 × 100 = 15_500 tokens, capped at 10_000.
		let big = completed_of(ALICE, 3, 1_000);
		assert_ok!(review(ALICE, big, 5));
		assert_eq!(PendingRewards::<Test>::get(big).expect("pending").reward, 10_000);
		// 5_000 more, but only 2_000 left in this period.
		let second = completed();
		assert_ok!(review(ALICE, second, 5));
		assert_eq!(PendingRewards::<Test>::get(second).expect("pending").reward, 2_000);
		// Nothing left: the review counts, without a reward.
		let third = completed();
		assert_ok!(review(ALICE, third, 5));
		assert!(PendingRewards::<Test>::get(third).is_none());
		assert_eq!(ReputationOf::<Test>::get(BOB), Some(Reputation { count: 3, sum: 15 }));
		// Another account has its own cap.
		let daves = completed_of(DAVE, 2, 450);
		assert_ok!(review(DAVE, daves, 5));
		assert_eq!(PendingRewards::<Test>::get(daves).expect("pending").reward, 5_000);
		// A new period (blocks 100..200) starts afresh.
		run_to_block(100);
		let fourth = completed();
		assert_ok!(review(ALICE, fourth, 5));
		assert_eq!(PendingRewards::<Test>::get(fourth).expect("pending").reward, 5_000);
		run_to_block(140);
		assert_eq!(tokens(ALICE), 17_000);
	});
}

#[test]
fn small_orders_unrated_currencies_and_pauses_earn_nothing() {
	build_and_execute(|| {
		// 1 × 0 + 100 = 100 USD: at the minimum, earns 500.
		let at_min = completed_of(ALICE, 1, 0);
		assert_ok!(review(ALICE, at_min, 5));
		assert_eq!(PendingRewards::<Test>::get(at_min).expect("pending").reward, 500);
		// Minimum raised to 101: nothing.
		let mut rate = usd_rate();
		rate.min_order_value = 101;
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(rate)));
		let below = completed_of(ALICE, 1, 0);
		assert_ok!(review(ALICE, below, 5));
		assert!(PendingRewards::<Test>::get(below).is_none());
		ev(Event::Reviewed {
			order_id: below,
			customer: ALICE,
			merchant: BOB,
			rating: 5,
			review_hash: H256::repeat_byte(9),
			reward: 0,
			counted: false,
			vests_at: 31,
		});
		// Earning paused: nothing.
		assert_ok!(Loyalty::set_earning_paused(RuntimeOrigin::root(), true));
		let paused = completed();
		assert_ok!(review(ALICE, paused, 5));
		assert!(PendingRewards::<Test>::get(paused).is_none());
		assert_ok!(Loyalty::set_earning_paused(RuntimeOrigin::root(), false));
		// No rate: nothing.
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, None));
		let unrated = completed();
		assert_ok!(review(ALICE, unrated, 5));
		assert!(PendingRewards::<Test>::get(unrated).is_none());
		// The order at the minimum and the one reviewed during the pause count for BOB's
		// reputation; the one below the minimum and the unrated one do not.
		assert_eq!(ReputationOf::<Test>::get(BOB), Some(Reputation { count: 2, sum: 10 }));
		let kept: Vec<OrderId> =
			RecentReviews::<Test>::get(BOB).iter().map(|r| r.order_id).collect();
		assert_eq!(kept, vec![at_min, paused]);
		assert_eq!(TotalPending::<Test>::get(), 500);
	});
}

#[test]
fn vesting_waits_while_the_order_is_still_open() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		run_to_block(30);
		// Block 31 with only the loyalty pallet's hook: the after-sales window has closed, but
		// the orders pallet has not archived the order yet.
		System::set_block_number(31);
		Loyalty::on_initialize(31);
		ev(Event::TimerPostponed {
			order_id: id,
			kind: TimerKind::Vest,
			error: None,
			failures: 0,
			retry_at: 31 + RETRY_DELAY,
		});
		assert_eq!(TimerAt::<Test>::get(id), Some(31 + RETRY_DELAY));
		assert_eq!(tokens(ALICE), 0);
		assert!(pallet_orders::Orders::<Test>::get(id).is_some());
		// The orders pallet catches up in the next block (archives), the retry vests.
		run_to_block(35);
		assert!(pallet_orders::Orders::<Test>::get(id).is_none());
		assert_eq!(tokens(ALICE), 0);
		run_to_block(36);
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 5_000 });
		assert_eq!(tokens(ALICE), 5_000);
	});
}

#[test]
fn a_disputed_holdback_delays_vesting_and_its_refund_claws_back() {
	build_and_execute(|| {
		use entrepot_primitives::{DisputeScope, OrderDisputes, Side};
		let id = completed();
		assert_ok!(review(ALICE, id, 1));
		run_to_block(10);
		assert_ok!(<Orders as OrderDisputes<AccountId>>::freeze(
			id,
			DisputeScope::Holdback,
			Side::Customer
		));
		// The after-sales window closes at 31, but the frozen order stays open.
		run_to_block(40);
		assert_eq!(tokens(ALICE), 0);
		ev(Event::TimerPostponed {
			order_id: id,
			kind: TimerKind::Vest,
			error: None,
			failures: 0,
			retry_at: 36,
		});
		// The dispute refunds the whole holdback (100 of 1_000): 10% of the reward goes.
		assert_ok!(<Orders as OrderDisputes<AccountId>>::resolve(id, 100));
		ev(Event::RewardClawedBack { order_id: id, amount: 500, remaining: 4_500 });
		run_to_block(46);
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 4_500 });
		assert_eq!(tokens(ALICE), 4_500);
	});
}

#[test]
fn overdue_timers_carry_over_within_the_budget_and_none_is_skipped() {
	build_and_execute(|| {
		// Forty orders completed in block 1: their review windows all close at 51.
		let ids: Vec<OrderId> = (0..40).map(|_| completed()).collect();
		assert_eq!(Timers::<Test>::iter_prefix(51).count(), 40);
		let expired = || {
			loyalty_events()
				.into_iter()
				.filter(|e| matches!(e, Event::ReviewWindowClosed { .. }))
				.count()
		};
		// The chain stalls until block 200; then each block's `on_initialize` fires what its
		// budget allows, never more than the budget, oldest first.
		System::set_block_number(199);
		let mut per_block = Vec::new();
		while ids.iter().any(|id| CompletedOrders::<Test>::contains_key(id)) {
			assert!(per_block.len() < 40, "timers never caught up");
			let n = System::block_number() + 1;
			System::set_block_number(n);
			let before = expired();
			let used = Loyalty::on_initialize(n);
			assert!(used.all_lte(TimerBudget::get()), "{used:?} over the budget");
			per_block.push(expired() - before);
		}
		assert!(per_block.len() > 1, "the budget fits no more than some of them");
		assert!(per_block.iter().all(|fired| *fired > 0), "every block fires some");
		assert_eq!(expired(), 40);
		assert!(
			Timers::<Test>::iter().next().is_none() && TimerAt::<Test>::iter().next().is_none()
		);
		run_to_block(System::block_number() + 10);
		assert_eq!(TimerCursor::<Test>::get(), System::block_number() + 1);
	});
}

#[test]
fn on_idle_fires_what_on_initialize_left_over() {
	build_and_execute(|| {
		let ids: Vec<OrderId> = (0..40).map(|_| completed()).collect();
		let waiting = || ids.iter().filter(|id| CompletedOrders::<Test>::contains_key(id)).count();
		// Block 51's `on_initialize` fires what its budget allows.
		run_to_block(51);
		let left = waiting();
		assert!(left > 0 && left < 40, "{left} left after on_initialize");
		// Without weight left in the block, `on_idle` does nothing.
		assert_eq!(Loyalty::on_idle(51, Weight::zero()), Weight::zero());
		assert_eq!(waiting(), left);
		// With a whole block left, it fires the rest in the same block.
		let used = Loyalty::on_idle(51, Weight::MAX);
		assert!(used.any_gt(Weight::zero()));
		assert_eq!(waiting(), 0);
		for id in &ids {
			ev(Event::ReviewWindowClosed { order_id: *id });
		}
		assert_eq!(TimerCursor::<Test>::get(), 52);
	});
}

#[test]
fn a_reward_that_cannot_be_minted_lapses_after_max_failures() {
	build_and_execute(|| {
		earn(1);
		// Confirmed at block 32: vests at 62.
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		// ALICE's token account is blocked: no mint to it can succeed.
		assert_ok!(Assets::block(RuntimeOrigin::signed(Loyalty::account_id()), LOY, ALICE));
		let blocked = Some(DispatchError::Token(sp_runtime::TokenError::Blocked));
		// Each failure is retried after the delay, up to the last one.
		let attempt = |failures: u32| 62 + u64::from(failures - 1) * RETRY_DELAY;
		for failures in 1..MAX_TIMER_FAILURES {
			let at = attempt(failures);
			run_to_block(at);
			ev(Event::TimerPostponed {
				order_id: id,
				kind: TimerKind::Vest,
				error: blocked,
				failures,
				retry_at: at + RETRY_DELAY,
			});
			assert_eq!(PendingRewards::<Test>::get(id).expect("still pending").reward, 5_000);
		}
		assert!(!loyalty_events().iter().any(|e| matches!(e, Event::RewardLapsed { .. })));
		run_to_block(attempt(MAX_TIMER_FAILURES));
		ev(Event::RewardLapsed { order_id: id, customer: ALICE, amount: 5_000 });
		assert!(PendingRewards::<Test>::get(id).is_none());
		assert_eq!((TotalPending::<Test>::get(), TimerAt::<Test>::get(id)), (0, None));
		assert_eq!((tokens(ALICE), TokenIssued::<Test>::get()), (5_000, 5_000));
		// Nothing is retried after that.
		run_to_block(100);
		assert_eq!(tokens(ALICE), 5_000);
		assert!(!loyalty_events().iter().any(|e| matches!(
			e,
			Event::RewardVested { order_id, .. } if *order_id == id
		)));
	});
}

#[test]
fn a_reward_whose_mint_failed_vests_once_it_can() {
	build_and_execute(|| {
		earn(1);
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		assert_ok!(Assets::block(RuntimeOrigin::signed(Loyalty::account_id()), LOY, ALICE));
		run_to_block(62);
		ev(Event::TimerPostponed {
			order_id: id,
			kind: TimerKind::Vest,
			error: Some(DispatchError::Token(sp_runtime::TokenError::Blocked)),
			failures: 1,
			retry_at: 62 + RETRY_DELAY,
		});
		assert_eq!(TimerAt::<Test>::get(id), Some(62 + RETRY_DELAY));
		assert_eq!(
			Timers::<Test>::get(62 + RETRY_DELAY, id),
			Some(Timer { kind: TimerKind::Vest, failures: 1 })
		);
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(Loyalty::account_id()), LOY, ALICE));
		run_to_block(62 + RETRY_DELAY);
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 5_000 });
		assert_eq!(tokens(ALICE), 10_000);
	});
}

#[test]
fn a_reward_below_the_minimum_lapses_at_once_unless_the_customer_holds_the_token() {
	build_and_execute(|| {
		// A direct order of 1_000 ENT earns 5 tokens (1% = 10 ENT units, × 0.5), below the
		// token's minimum, and vests at once. ALICE holds no token, so it cannot be minted as it
		// stands: it lapses with the review, and nothing waits for a retry.
		assert!(5 < TOKEN_MIN_BALANCE);
		let direct = place_of(ALICE, ENT, 2, 450, PaymentMode::Direct);
		ship(direct);
		confirm(ALICE, direct);
		assert_ok!(review(ALICE, direct, 5));
		ev(Event::RewardLapsed { order_id: direct, customer: ALICE, amount: 5 });
		assert!(PendingRewards::<Test>::get(direct).is_none());
		assert_eq!(TimerAt::<Test>::get(direct), None);
		// An escrow order's reward lapses when it vests, without retries: at one token per USD
		// unit, 1_000 USD earn 50 tokens.
		let one_per_unit = CurrencyRate { tokens_per_unit: FixedU128::from_u32(1), ..usd_rate() };
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(one_per_unit)));
		let escrow = completed();
		assert_ok!(review(ALICE, escrow, 5));
		assert_eq!(PendingRewards::<Test>::get(escrow).expect("pending").reward, 50);
		run_to_block(31);
		ev(Event::RewardLapsed { order_id: escrow, customer: ALICE, amount: 50 });
		assert!(!loyalty_events()
			.iter()
			.any(|e| matches!(e, Event::TimerPostponed { .. } | Event::RewardVested { .. })));
		assert_eq!((TotalPending::<Test>::get(), TimerAt::<Test>::get(escrow)), (0, None));
		assert_eq!((tokens(ALICE), TokenIssued::<Test>::get()), (0, 0));
		// Once ALICE holds the token, a reward of any size vests.
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(usd_rate())));
		earn(1);
		let small = place_of(ALICE, ENT, 2, 450, PaymentMode::Direct);
		ship(small);
		confirm(ALICE, small);
		assert_ok!(review(ALICE, small, 5));
		ev(Event::RewardVested { order_id: small, customer: ALICE, amount: 5 });
		assert_eq!((tokens(ALICE), TokenIssued::<Test>::get()), (5_005, 5_005));
	});
}

#[test]
fn a_customer_without_native_tokens_receives_its_reward() {
	use frame_support::traits::fungible::Inspect as NativeInspect;
	build_and_execute(|| {
		// EVE gets USD and, for its order's deposit (the mock has no exchange to hold it in
		// USD), some ENT.
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(ALICE), EVE, 1_000));
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(ALICE), USD, EVE, 10_000));
		let id = completed_of(EVE, 2, 450);
		assert_ok!(review(EVE, id, 5));
		// Block 31: orders archives the order and returns the deposit; EVE gives all its ENT
		// away. It holds USD only: no provider reference, which a token that is not sufficient
		// would need.
		run_to_block(30);
		System::set_block_number(31);
		Orders::on_initialize(31);
		assert!(pallet_orders::Orders::<Test>::get(id).is_none());
		assert_ok!(Balances::transfer_all(RuntimeOrigin::signed(EVE), CHARLIE, false));
		assert_eq!(<Balances as NativeInspect<_>>::total_balance(&EVE), 0);
		assert_eq!(System::providers(&EVE), 0);
		// The reward vests all the same: the token is sufficient.
		Loyalty::on_initialize(31);
		ev(Event::RewardVested { order_id: id, customer: EVE, amount: 5_000 });
		assert_eq!(tokens(EVE), 5_000);
		assert_eq!(System::sufficients(&EVE), 2, "USD and the token");
	});
}

#[test]
fn anyone_may_poke_a_due_vesting_and_not_before() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		assert_noop!(Loyalty::poke(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
		// Not due before block 31.
		run_to_block(30);
		assert_noop!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		// Due at 31, but the order is not archived yet: nothing to do, the timer stays.
		System::set_block_number(31);
		assert_noop!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		assert_eq!(TimerAt::<Test>::get(id), Some(31));
		// The orders pallet archives it, the loyalty pallet's budget did not reach the timer:
		// anyone may vest it.
		Orders::on_initialize(31);
		assert!(pallet_orders::Orders::<Test>::get(id).is_none());
		assert_ok!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id));
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 5_000 });
		assert_eq!(tokens(ALICE), 5_000);
		assert_eq!((TimerAt::<Test>::get(id), TotalPending::<Test>::get()), (None, 0));
		// Once only.
		assert_noop!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		assert_noop!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), 99), Error::<Test>::NothingDue);
		run_to_block(40);
		assert_eq!(tokens(ALICE), 5_000);
	});
}

#[test]
fn anyone_may_poke_a_closed_review_window() {
	build_and_execute(|| {
		let id = completed();
		run_to_block(50);
		assert_noop!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		System::set_block_number(51);
		assert_ok!(Loyalty::poke(RuntimeOrigin::signed(CHARLIE), id));
		ev(Event::ReviewWindowClosed { order_id: id });
		assert!(CompletedOrders::<Test>::get(id).is_none());
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
	});
}

// ---- Reputation -----------------------------------------------------------------------------

#[test]
fn reviews_build_the_merchants_reputation_and_recent_reviews() {
	build_and_execute(|| {
		let ids: Vec<OrderId> = (0..4).map(|_| completed()).collect();
		for (id, rating) in ids.iter().zip([5u8, 4, 3, 2]) {
			assert_ok!(review(ALICE, *id, rating));
		}
		assert_eq!(Loyalty::reputation(BOB), Reputation { count: 4, sum: 14 });
		assert_eq!(Loyalty::reputation(CHARLIE), Reputation::default());
		// Three kept, newest first; pages of at most two.
		assert_eq!(RecentReviews::<Test>::get(BOB).len(), MAX_RECENT as usize);
		let page: Vec<(OrderId, u8)> = Loyalty::recent_reviews(BOB, 0, 10)
			.iter()
			.map(|r| (r.order_id, r.rating))
			.collect();
		assert_eq!(page, vec![(ids[3], 2), (ids[2], 3)]);
		let next: Vec<OrderId> =
			Loyalty::recent_reviews(BOB, 2, 10).iter().map(|r| r.order_id).collect();
		assert_eq!(next, vec![ids[1]]);
		assert!(Loyalty::recent_reviews(BOB, 3, 10).is_empty());
	});
}

/// Places, ships and confirms a `customer`'s escrow order of `total` USD with BOB.
fn completed_of_total(customer: AccountId, total: Balance) -> OrderId {
	if pallet_orders::Merchants::<Test>::get(BOB).is_none() {
		register(BOB);
	}
	let id = NextOrderId::<Test>::get();
	assert_ok!(Orders::place_order(
		RuntimeOrigin::signed(customer),
		BOB,
		USDX,
		items(1, total - 1),
		1,
		H256::repeat_byte(1),
		None,
		PaymentMode::Escrow,
		H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
	));
	ship(id);
	confirm(customer, id);
	id
}

#[test]
fn a_review_of_an_order_below_the_minimum_does_not_move_reputation() {
	build_and_execute(|| {
		// A rival buys ten dust orders of 99 USD (USD's minimum is 100) to rate BOB 1 star.
		for _ in 0..10 {
			let dust = completed_of_total(DAVE, 99);
			assert_ok!(review(DAVE, dust, 1));
			ev(Event::Reviewed {
				order_id: dust,
				customer: DAVE,
				merchant: BOB,
				rating: 1,
				review_hash: H256::repeat_byte(9),
				reward: 0,
				counted: false,
				vests_at: 31,
			});
			assert!(PendingRewards::<Test>::get(dust).is_none());
		}
		assert_eq!(ReputationOf::<Test>::get(BOB), None);
		assert_eq!(Loyalty::reputation(BOB), Reputation::default());
		assert!(RecentReviews::<Test>::get(BOB).is_empty());
		// Nor in a currency without a rate.
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), ENT, None));
		let unrated = place_of(DAVE, ENT, 2, 450, PaymentMode::Escrow);
		ship(unrated);
		confirm(DAVE, unrated);
		assert_ok!(review(DAVE, unrated, 1));
		assert_eq!(ReputationOf::<Test>::get(BOB), None);
		// An order at the minimum counts.
		let real = completed_of_total(ALICE, 100);
		assert_ok!(review(ALICE, real, 5));
		ev(Event::Reviewed {
			order_id: real,
			customer: ALICE,
			merchant: BOB,
			rating: 5,
			review_hash: H256::repeat_byte(9),
			reward: 500,
			counted: true,
			vests_at: 31,
		});
		assert_eq!(Loyalty::reputation(BOB), Reputation { count: 1, sum: 5 });
		let kept: Vec<OrderId> =
			RecentReviews::<Test>::get(BOB).iter().map(|r| r.order_id).collect();
		assert_eq!(kept, vec![real]);
	});
}

// ---- Spending -------------------------------------------------------------------------------

#[test]
fn redeem_burns_tokens_and_refunds_the_discount_from_escrow() {
	build_and_execute(|| {
		earn(2);
		let id = placed();
		let usd = free(USDX, ALICE);
		// 6_000 tokens at 100 per unit: 60 USD back.
		assert_ok!(Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 6_000));
		ev(Event::Redeemed { order_id: id, customer: ALICE, tokens: 6_000, discount: 60 });
		System::assert_has_event(RuntimeEvent::Orders(pallet_orders::Event::LoyaltyDiscountPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			amount: 60,
			discounted: 60,
		}));
		assert_eq!(tokens(ALICE), 4_000);
		assert_eq!(token_supply(), 4_000);
		assert_eq!(free(USDX, ALICE), usd + 60);
		assert_eq!(pallet_orders::Orders::<Test>::get(id).expect("open").locked, 940);
		// 10% of 1_000 = 100: 40 left, so 5_000 tokens (50) are too many.
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 5_000),
			Error::<Test>::ExceedsLoyaltyShare
		);
		// Shipped orders still take tokens.
		ship(id);
		assert_ok!(Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 4_000));
		assert_eq!(tokens(ALICE), 0);
		assert_eq!(Orders::order(id).expect("open").discounted, 100);
		// The order settles what is left, and that is what its review is worth.
		confirm(ALICE, id);
		assert_eq!(CompletedOrders::<Test>::get(id).expect("reviewable").value, 900);
		assert_eq!(Orders::order(id).expect("open").discounted, 100);
		run_to_block(System::block_number() + 31);
		assert!(Orders::order(id).is_none(), "the discount record went with the order");
	});
}

#[test]
fn redeem_fails_for_orders_that_cannot_take_tokens() {
	build_and_execute(|| {
		earn(1);
		let id = placed();
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), 99, 100),
			Error::<Test>::NotRedeemable
		);
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(DAVE), id, 100),
			Error::<Test>::NotCustomer
		);
		// Below one USD unit.
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 99),
			Error::<Test>::RedemptionTooSmall
		);
		// More tokens than ALICE has (5_000), within the share.
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 6_000),
			Error::<Test>::InsufficientTokens
		);
		// No rate for the currency.
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, None));
		assert_noop!(Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 100), Error::<Test>::NoRate);
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(usd_rate())));
		// Settled orders, direct orders and orders in a refund step: not redeemable.
		let settled = completed();
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), settled, 100),
			Error::<Test>::NotRedeemable
		);
		let direct = place_of(ALICE, ENT, 2, 450, PaymentMode::Direct);
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), direct, 100),
			Error::<Test>::NotRedeemable
		);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			10,
			false,
			RefundReason::Damaged
		));
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 100),
			Error::<Test>::NotRedeemable
		);
	});
}

#[test]
fn redeem_fails_when_the_merchant_does_not_accept_tokens() {
	build_and_execute(|| {
		earn(1);
		let mut p = policy();
		p.loyalty_share = Permill::zero();
		assert_ok!(Orders::update_policy(RuntimeOrigin::signed(BOB), p));
		let id = placed();
		assert_noop!(
			Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 100),
			Error::<Test>::LoyaltyNotAccepted
		);
	});
}

#[test]
fn redeem_fails_if_it_would_leave_less_than_the_minimum_and_changes_nothing() {
	build_and_execute(|| {
		earn(1);
		let id = placed();
		assert_eq!(<Assets as Inspect<_>>::minimum_balance(LOY), TOKEN_MIN_BALANCE);
		// 4_950 of ALICE's 5_000 tokens would leave 50, and 4_901 would leave 99: below the
		// minimum, which `pallet-assets` would burn along with the tokens redeemed.
		for amount in [4_950, 4_901] {
			assert_noop!(
				Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, amount),
				Error::<Test>::WouldLeaveDust
			);
		}
		assert_eq!(
			(tokens(ALICE), TokenIssued::<Test>::get(), token_supply()),
			(5_000, 5_000, 5_000)
		);
		// Leaving the minimum is fine.
		assert_ok!(Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 4_900));
		ev(Event::Redeemed { order_id: id, customer: ALICE, tokens: 4_900, discount: 49 });
		assert_eq!(tokens(ALICE), TOKEN_MIN_BALANCE);
		assert_eq!((TokenIssued::<Test>::get(), token_supply()), (100, 100));
	});
}

#[test]
fn redeeming_the_whole_balance_burns_exactly_it() {
	build_and_execute(|| {
		earn(1);
		let id = placed();
		assert_ok!(Loyalty::redeem(RuntimeOrigin::signed(ALICE), id, 5_000));
		ev(Event::Redeemed { order_id: id, customer: ALICE, tokens: 5_000, discount: 50 });
		assert_eq!(tokens(ALICE), 0);
		assert!(pallet_assets::Account::<Test>::get(LOY, ALICE).is_none(), "no token account left");
		assert_eq!((TokenIssued::<Test>::get(), token_supply()), (0, 0));
	});
}

// ---- Governance -----------------------------------------------------------------------------

#[test]
fn genesis_sets_the_currency_rates() {
	build_and_execute(|| {
		assert_eq!(CurrencyRates::<Test>::get(USDX), Some(usd_rate()));
		assert_eq!(CurrencyRates::<Test>::get(ENT), Some(ent_rate()));
		assert_eq!(CurrencyRates::<Test>::iter().count(), 2);
	});
}

#[test]
#[should_panic(expected = "invalid loyalty rate")]
fn genesis_refuses_a_rate_worth_no_tokens() {
	use frame_support::traits::BuildGenesisConfig;
	let zero = CurrencyRate { tokens_per_unit: FixedU128::from_u32(0), ..usd_rate() };
	sp_io::TestExternalities::default().execute_with(|| {
		crate::GenesisConfig::<Test> { currency_rates: vec![(USDX, zero)], ..Default::default() }
			.build();
	});
}

#[test]
fn governance_sets_rates_limits_and_pauses() {
	build_and_execute(|| {
		let rate = CurrencyRate {
			reward_rate: Permill::from_percent(3),
			tokens_per_unit: FixedU128::from_u32(1_000_000),
			min_order_value: 1_000_000,
		};
		assert_noop!(
			Loyalty::set_currency_rate(RuntimeOrigin::signed(ALICE), USDX, Some(rate)),
			DispatchError::BadOrigin
		);
		let zero = CurrencyRate { tokens_per_unit: FixedU128::from_u32(0), ..rate };
		assert_noop!(
			Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(zero)),
			Error::<Test>::InvalidRate
		);
		assert_ok!(Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(rate)));
		ev(Event::CurrencyRateSet { currency: USDX, rate: Some(rate) });
		assert_eq!(CurrencyRates::<Test>::get(USDX), Some(rate));

		let limits =
			LoyaltyLimits { per_order_cap: 1, per_period_cap: 2, period: 10, review_window: 5 };
		assert_noop!(
			Loyalty::set_limits(RuntimeOrigin::signed(ALICE), limits),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Loyalty::set_limits(RuntimeOrigin::root(), LoyaltyLimits { period: 0, ..limits }),
			Error::<Test>::InvalidLimits
		);
		assert_noop!(
			Loyalty::set_limits(
				RuntimeOrigin::root(),
				LoyaltyLimits { review_window: 0, ..limits }
			),
			Error::<Test>::InvalidLimits
		);
		assert_ok!(Loyalty::set_limits(RuntimeOrigin::root(), limits));
		ev(Event::LimitsSet { limits });
		assert_eq!(Limits::<Test>::get(), limits);

		assert_noop!(
			Loyalty::set_earning_paused(RuntimeOrigin::signed(ALICE), true),
			DispatchError::BadOrigin
		);
		assert_ok!(Loyalty::set_earning_paused(RuntimeOrigin::root(), true));
		ev(Event::EarningPausedSet { paused: true });
		assert!(EarningPaused::<Test>::get());
	});
}

#[test]
fn the_token_is_transferable_between_customers() {
	build_and_execute(|| {
		earn(1);
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(ALICE), LOY, DAVE, 1_000));
		assert_eq!(tokens(DAVE), 1_000);
		assert_eq!(token_supply(), 5_000);
	});
}
