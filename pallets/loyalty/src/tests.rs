//! Unit tests of the loyalty pallet against the real orders, escrow, balances and assets
//! pallets, named after the behaviour they show. Every test ends with the invariants of
//! loyalty, orders and escrow and the token's supply check (see [`build_and_execute`]).
//!
//! Arithmetic used throughout: ALICE's order with BOB is 2 × 450 + 100 = 1_000 USD, shipped
//! and confirmed at block 1, so it settles 1_000 and its after-sales window closes at block 31.
//! USD pays 5% back at 100 tokens per base unit: 1_000 × 5% = 50 USD units, × 100 = 5_000
//! tokens, below the per-order cap of 10_000. BOB accepts tokens for 10% of an order: 100 USD,
//! i.e. 10_000 tokens.

use crate::{
	mock::*, Balance, CompletedOrders, CurrencyId, CurrencyRate, CurrencyRates, EarningPaused,
	Error, Event, Limits, LoyaltyLimits, OrderId, PendingRewards, RecentReviews, Reputation,
	ReputationOf, TimerCursor, TimerKind, TokenIssued, TotalPending,
};
use entrepot_primitives::PaymentMode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungibles::Inspect, Hooks},
};
use pallet_orders::{NextOrderId, RefundReason};
use sp_core::H256;
use sp_runtime::{DispatchError, FixedU128, Permill};

mod property;

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
		assert_eq!((c.customer, c.merchant, c.value, c.vests_at), (ALICE, BOB, 1_000, 31));
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
		// 2 × 450 + 100 = 1_000 ENT: 1% = 10 ENT units, × 0.5 = 5 tokens.
		let id = place_of(ALICE, ENT, 2, 450, PaymentMode::Direct);
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
			OrdersError::NotShippedYet
		);
		ship(id);
		confirm(ALICE, id);
		assert_ok!(review(ALICE, id, 5));
		ev(Event::RewardVested { order_id: id, customer: ALICE, amount: 5 });
		assert_eq!(tokens(ALICE), 5);
		assert_eq!(TotalPending::<Test>::get(), 0);
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

/// Fills every block from `from` on, as far as a timer may spill, with stale timers.
fn fill_timers(from: u64) {
	for block in from..from + 64 {
		crate::Timers::<Test>::mutate(block, |slot| {
			let timers = slot.get_or_insert_with(Default::default);
			while timers.try_push((1_000 + block, TimerKind::Vest)).is_ok() {}
		});
	}
}

#[test]
fn review_fails_when_no_block_has_room_for_the_vesting() {
	build_and_execute(|| {
		let id = completed();
		fill_timers(31);
		assert_noop!(review(ALICE, id, 5), Error::<Test>::TimerQueueFull);
		// Stale timers are dropped once due; then there is room again.
		run_to_block(96);
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
	});
}

#[test]
fn completions_are_dropped_when_no_block_has_room_for_the_review_window() {
	build_and_execute(|| {
		let id = placed();
		ship(id);
		fill_timers(51);
		confirm(ALICE, id);
		ev(Event::CompletionDropped { order_id: id });
		assert_noop!(review(ALICE, id, 5), Error::<Test>::NotReviewable);
		run_to_block(120);
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
		assert_eq!(ReputationOf::<Test>::get(BOB), Some(Reputation { count: 4, sum: 20 }));
		assert_eq!(TotalPending::<Test>::get(), 500);
	});
}

#[test]
fn vesting_waits_while_the_order_is_still_open() {
	build_and_execute(|| {
		let id = completed();
		assert_ok!(review(ALICE, id, 5));
		// Loyalty's timer runs before the orders pallet archived the order.
		for n in 2..=31 {
			System::set_block_number(n);
			Loyalty::on_initialize(n);
		}
		ev(Event::TimerPostponed {
			order_id: id,
			kind: TimerKind::Vest,
			error: None,
			retry_at: 31 + RETRY_DELAY,
		});
		assert_eq!(tokens(ALICE), 0);
		// The orders pallet catches up (archives at 31), the retry vests.
		for n in 2..=31 {
			Orders::on_initialize(n);
		}
		run_to_block(36);
		assert_eq!(tokens(ALICE), 5_000);
	});
}

#[test]
fn a_disputed_holdback_delays_vesting_and_its_refund_claws_back() {
	build_and_execute(|| {
		use entrepot_primitives::{DisputeScope, OrderDisputes};
		let id = completed();
		assert_ok!(review(ALICE, id, 1));
		run_to_block(10);
		assert_ok!(<Orders as OrderDisputes<AccountId>>::freeze(id, DisputeScope::Holdback));
		// The after-sales window closes at 31, but the frozen order stays open.
		run_to_block(40);
		assert_eq!(tokens(ALICE), 0);
		ev(Event::TimerPostponed {
			order_id: id,
			kind: TimerKind::Vest,
			error: None,
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
fn overdue_timers_carry_over_and_none_is_skipped() {
	build_and_execute(|| {
		// Six orders completed in block 1: review windows close at 51 (four timers) and 52
		// (two spilled).
		let ids: Vec<OrderId> = (0..6).map(|_| completed()).collect();
		assert_eq!(crate::Timers::<Test>::get(51).expect("full").len(), MAX_TIMERS as usize);
		assert_eq!(crate::Timers::<Test>::get(52).expect("spill").len(), 2);
		// The chain stalls until block 200, then processes at most four per block.
		System::set_block_number(200);
		let mut blocks = 0;
		while ids.iter().any(|id| CompletedOrders::<Test>::contains_key(id)) {
			blocks += 1;
			assert!(blocks < 100, "timers never caught up");
			let n = System::block_number() + 1;
			System::set_block_number(n);
			Loyalty::on_initialize(n);
		}
		let expired = loyalty_events()
			.into_iter()
			.filter(|e| matches!(e, Event::ReviewWindowClosed { .. }))
			.count();
		assert_eq!(expired, 6);
		run_to_block(System::block_number() + 100);
		assert_eq!(TimerCursor::<Test>::get(), System::block_number() + 1);
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
		assert_eq!(pallet_orders::LoyaltyDiscountOf::<Test>::get(id), Some(100));
		// The order settles what is left, and that is what its review is worth.
		confirm(ALICE, id);
		assert_eq!(CompletedOrders::<Test>::get(id).expect("reviewable").value, 900);
		assert!(pallet_orders::LoyaltyDiscountOf::<Test>::get(id).is_some());
		run_to_block(System::block_number() + 31);
		assert!(pallet_orders::LoyaltyDiscountOf::<Test>::get(id).is_none());
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
