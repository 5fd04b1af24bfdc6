//! Property test: thousands of random steps (orders placed, shipped, confirmed, refunded;
//! reviews, redemptions and token transfers by random accounts, many of them invalid;
//! governance changes; block advances firing both pallets' timers). After every step: the
//! invariants of loyalty, orders and escrow, the token's supply equal to the sum of its
//! balances, and, from the events, the supply changed only by rewards minted and tokens burnt
//! by redemptions; no order is reviewed twice; every redemption's discount is worth at most
//! its tokens and no order's discounts exceed its merchant's share.

use super::*;
use entrepot_dev::Rng;
use std::collections::{BTreeMap, BTreeSet};

const PEOPLE: [AccountId; 4] = [ALICE, BOB, CHARLIE, DAVE];

/// The customer of `order` (open, or waiting for its review) most of the time, anybody
/// otherwise.
fn customer_or_anybody(rng: &mut Rng, order: OrderId) -> AccountId {
	let customer = pallet_orders::Orders::<Test>::get(order)
		.map(|o| o.customer)
		.or_else(|| CompletedOrders::<Test>::get(order).map(|c| c.customer));
	match customer {
		Some(c) if rng.below(5) > 0 => c,
		_ => rng.pick(&PEOPLE),
	}
}

/// Applies one random step; failures are fine (they must change nothing, which the
/// transactional dispatch and the invariants check).
fn step(rng: &mut Rng, orders: &mut Vec<OrderId>) {
	// Mostly one of the latest orders.
	let order = match orders.len() {
		0 => 0,
		n if rng.below(4) > 0 => orders[n - 1 - rng.below(n.min(6) as u64) as usize],
		_ => rng.pick(orders),
	};
	let who = customer_or_anybody(rng, order);
	match rng.below(16) {
		0 => {
			let customer = rng.pick(&[ALICE, DAVE]);
			let currency = rng.pick(&[USDX, ENT]);
			let mode = if rng.below(4) == 0 { PaymentMode::Direct } else { PaymentMode::Escrow };
			let id = NextOrderId::<Test>::get();
			if Orders::place_order(
				RuntimeOrigin::signed(customer),
				BOB,
				currency,
				items(1 + rng.below(3) as u32, rng.below(2_000) as Balance),
				rng.below(200) as Balance,
				H256::repeat_byte(1),
				None,
				mode,
				H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
			)
			.is_ok()
			{
				orders.push(id);
			}
		},
		1..=3 => {
			let _ = Orders::mark_shipped(RuntimeOrigin::signed(BOB), order, H256::zero());
		},
		4 | 5 => {
			let _ = Orders::confirm_receipt(RuntimeOrigin::signed(who), order);
		},
		6 => {
			let amount = 1 + rng.below(600) as Balance;
			let _ = Orders::request_refund(
				RuntimeOrigin::signed(who),
				order,
				amount,
				false,
				RefundReason::Damaged,
			);
		},
		7 => {
			let _ = Orders::accept_refund(RuntimeOrigin::signed(BOB), order);
		},
		8..=10 => {
			let rating = rng.below(7) as u8;
			let _ = Loyalty::review(RuntimeOrigin::signed(who), order, rating, H256::zero());
		},
		11 | 12 => {
			// Mostly what the caller can afford.
			let amount = rng.below(tokens(who) as u64 + 200) as Balance;
			let _ = Loyalty::redeem(RuntimeOrigin::signed(who), order, amount);
		},
		13 => {
			let to = rng.pick(&PEOPLE);
			let amount = rng.below(3_000) as Balance;
			let _ = Assets::transfer(RuntimeOrigin::signed(who), LOY, to, amount);
		},
		14 => match rng.below(4) {
			0 => {
				let _ = Loyalty::set_earning_paused(RuntimeOrigin::root(), rng.below(2) == 0);
			},
			1 => {
				let _ = Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, None);
			},
			2 => {
				let _ = Loyalty::set_currency_rate(RuntimeOrigin::root(), USDX, Some(usd_rate()));
			},
			_ => {
				let mut p = policy();
				p.loyalty_share = Permill::from_percent(rng.below(101) as u32);
				let _ = Orders::update_policy(RuntimeOrigin::signed(BOB), p);
			},
		},
		_ => run_to_block(System::block_number() + 1 + rng.below(6)),
	}
}

#[test]
fn random_sequences_keep_the_books_of_the_token() {
	for seed in 1..=6u64 {
		new_test_ext().execute_with(|| {
			register(BOB);
			// The customers start with some tokens, so that rewards below the token's minimum
			// balance vest too (to an account holding none they lapse: see the unit tests).
			let start = 10 * TOKEN_MIN_BALANCE;
			for customer in [ALICE, DAVE] {
				assert_ok!(Loyalty::mint_reward(0, &customer, start));
			}
			let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
			let mut orders = Vec::new();
			let (mut minted, mut burnt): (Balance, Balance) = (2 * start, 0);
			let mut reviewed = BTreeSet::new();
			let mut discounts: BTreeMap<OrderId, Balance> = BTreeMap::new();
			let (mut reviews, mut vested, mut redeemed) = (0u32, 0u32, 0u32);
			let mut completions = 0u32;
			for _ in 0..1_500 {
				System::reset_events();
				step(&mut rng, &mut orders);
				for e in loyalty_events() {
					match e {
						Event::RewardVested { amount, .. } => {
							minted += amount;
							vested += 1;
						},
						Event::Redeemed { tokens, discount, order_id, .. } => {
							burnt += tokens;
							redeemed += 1;
							// 100 tokens per USD unit, half a token per ENT unit.
							assert!(
								discount <= tokens * 2,
								"a discount worth more than its tokens"
							);
							*discounts.entry(order_id).or_default() += discount;
						},
						Event::Reviewed { order_id, .. } => {
							assert!(reviewed.insert(order_id), "order {order_id} reviewed twice");
							reviews += 1;
						},
						Event::OrderReviewable { .. } => completions += 1,
						_ => {},
					}
				}
				check_invariants();
				assert_eq!(token_supply(), minted - burnt, "supply moved other than by rewards");
				for (id, d) in &discounts {
					if let Some(o) = pallet_orders::Orders::<Test>::get(id) {
						assert!(*d <= o.policy.loyalty_share.mul_floor(o.total));
					}
				}
			}
			// Let every timer run out.
			run_to_block(System::block_number() + 300);
			check_invariants();
			println!(
				"seed {seed}: {} orders, {completions} completed, {reviews} reviews, {vested} \
				 vested, {redeemed} redeemed",
				orders.len()
			);
			assert!(
				reviews > 5 && vested > 0,
				"too few reviews ({reviews}) or vestings ({vested})"
			);
			assert_eq!(TotalPending::<Test>::get(), 0, "rewards left pending forever");
			assert!(CompletedOrders::<Test>::iter().next().is_none());
		});
	}
}
