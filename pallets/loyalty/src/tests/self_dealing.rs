//! Property test of the attack the fee bound closes: a customer who is also the merchant (her
//! second account) buys from herself, confirms at once and reviews at once, at every rate
//! governance could set: reward rates up to 100%, tokens per unit from one 10^18th to more
//! than 10^20, minimums from none up, platform fees from none to the maximum, any holdback,
//! escrow and direct orders. The per-order and per-period caps are lifted so that only the fee
//! bound limits the rewards.
//!
//! For every order, from the events: the tokens minted for it, valued back at the
//! `tokens_per_unit` it was rewarded at (rounded up, in the attacker's favour), are worth at
//! most [`REWARD_SHARE_OF_FEES`] of the platform fees the order paid, and so strictly less than
//! those fees (nothing at all when it paid none): the self-dealer always loses money.

use super::*;
use entrepot_dev::Rng;
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, FixedPointNumber, Rounding};
use std::collections::BTreeMap;

/// ALICE's second account, registered as a merchant.
const SHILL: AccountId = CHARLIE;

fn tokens_per_unit(rng: &mut Rng) -> FixedU128 {
	match rng.below(8) {
		0 => FixedU128::from_inner(1),
		1 => FixedU128::from_rational(1, 1_000),
		2 => FixedU128::from_u32(1),
		3 => FixedU128::from_u32(100),
		4 => FixedU128::from_u32(u32::MAX),
		5 => FixedU128::from_inner(u128::MAX),
		_ => FixedU128::from_inner(1 + u128::from(rng.next()) * u128::from(rng.next())),
	}
}

fn reward_rate(rng: &mut Rng) -> Permill {
	match rng.below(4) {
		0 => Permill::one(),
		1 => Permill::from_parts(1),
		_ => Permill::from_parts(rng.below(1_000_001) as u32),
	}
}

fn platform_fee(rng: &mut Rng) -> Permill {
	match rng.below(5) {
		0 => Permill::zero(),
		1 => Permill::from_parts(1),
		2 => Permill::from_percent(1),
		3 => MaxPlatformFee::get(),
		_ => {
			Permill::from_parts(rng.below(u64::from(MaxPlatformFee::get().deconstruct()) + 1) as u32)
		},
	}
}

/// What the books say about one of the attacker's orders.
#[derive(Default)]
struct Books {
	/// The rate its reward was computed at.
	tokens_per_unit: Option<FixedU128>,
	/// The platform fees it paid (payouts, holdback release, forfeits).
	fees: Balance,
	/// The tokens minted for it.
	minted: Balance,
	/// What the rate alone would have paid, in the order's currency: `value × reward_rate`.
	rate_worth: Balance,
}

/// Reads the block's escrow and loyalty events into the books and clears them.
fn record(books: &mut BTreeMap<OrderId, Books>) {
	for r in System::events() {
		match r.event {
			RuntimeEvent::Escrow(pallet_escrow::Event::Released { order_id, fee, .. })
			| RuntimeEvent::Escrow(pallet_escrow::Event::DirectPaid { order_id, fee, .. }) => {
				books.entry(order_id).or_default().fees += fee;
			},
			RuntimeEvent::Escrow(pallet_escrow::Event::Forfeited { order_id, amount, .. }) => {
				books.entry(order_id).or_default().fees += amount;
			},
			RuntimeEvent::Loyalty(Event::RewardVested { order_id, amount, .. }) => {
				books.entry(order_id).or_default().minted += amount;
			},
			_ => {},
		}
	}
	System::reset_events();
}

#[test]
fn self_dealing_never_earns_more_than_the_fees_it_pays_at_any_rate() {
	for seed in 1..=4u64 {
		new_test_ext().execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
			assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(SHILL), policy()));
			// The second account holds USD, so that no payout to it is ever too small.
			assert_ok!(Assets::transfer(RuntimeOrigin::signed(ALICE), USD, SHILL, 1_000));
			assert_ok!(Loyalty::set_limits(
				RuntimeOrigin::root(),
				LoyaltyLimits {
					per_order_cap: Balance::MAX,
					per_period_cap: Balance::MAX,
					..LIMITS
				}
			));
			let mut books: BTreeMap<OrderId, Books> = BTreeMap::new();
			let mut reviewed = 0u32;
			for _ in 0..150 {
				let currency = rng.pick(&[USDX, ENT]);
				let some_minimum = rng.below(300) as Balance;
				let rate = CurrencyRate {
					reward_rate: reward_rate(&mut rng),
					tokens_per_unit: tokens_per_unit(&mut rng),
					min_order_value: rng.pick(&[0, 1, some_minimum]),
				};
				assert_ok!(Loyalty::set_currency_rate(
					RuntimeOrigin::root(),
					currency.clone(),
					Some(rate)
				));
				let fee = platform_fee(&mut rng);
				assert_ok!(Escrow::set_platform_fee(RuntimeOrigin::root(), fee));
				let mut p = policy();
				p.holdback = Permill::from_percent(rng.below(51) as u32);
				assert_ok!(Orders::update_policy(RuntimeOrigin::signed(SHILL), p));
				let mode =
					if rng.below(2) == 0 { PaymentMode::Direct } else { PaymentMode::Escrow };

				let (quantity, unit_price) = (1 + rng.below(3) as u32, rng.below(2_000) as Balance);
				let freight = rng.below(200) as Balance;
				let value = Balance::from(quantity) * unit_price + freight;
				let id = NextOrderId::<Test>::get();
				let placed = Orders::place_order(
					RuntimeOrigin::signed(ALICE),
					SHILL,
					currency,
					items(quantity, unit_price),
					freight,
					H256::repeat_byte(1),
					None,
					mode,
					H256::from_low_u64_be(pallet_orders::NextOrderId::<Test>::get()),
				);
				if placed.is_ok() {
					// Shipped, confirmed and reviewed at once.
					assert_ok!(Orders::mark_shipped(
						RuntimeOrigin::signed(SHILL),
						id,
						H256::repeat_byte(2)
					));
					assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
					assert_ok!(review(ALICE, id, 5));
					let b = books.entry(id).or_default();
					b.tokens_per_unit = Some(rate.tokens_per_unit);
					b.rate_worth = rate.reward_rate.mul_floor(value);
					reviewed += 1;
				}
				record(&mut books);
				if rng.below(4) == 0 {
					run_to_block(System::block_number() + 1 + rng.below(10));
					record(&mut books);
				}
			}
			// Every reward vests, every holdback is paid out.
			run_to_block_with_idle(System::block_number() + 100);
			record(&mut books);
			check_invariants();
			assert_eq!(TotalPending::<Test>::get(), 0, "a reward left pending");

			let share = RewardShareOfFees::get();
			let (mut rewarded, mut bound_bit, mut all_minted_value, mut all_fees) =
				(0u32, 0u32, 0u128, 0u128);
			for (id, b) in &books {
				if b.minted == 0 {
					continue;
				}
				rewarded += 1;
				let tpu = b.tokens_per_unit.expect("only reviewed orders earn");
				let value = multiply_by_rational_with_rounding(
					b.minted,
					FixedU128::DIV,
					tpu.into_inner(),
					Rounding::Up,
				)
				.expect("tokens worth a balance");
				assert!(
					value <= share.mul_floor(b.fees),
					"order {id}: {} tokens at {tpu:?} are worth {value}, over {share:?} of the \
					 fees {}",
					b.minted,
					b.fees
				);
				assert!(value < b.fees, "order {id}: a reward worth all its fees");
				all_minted_value += value;
				all_fees += b.fees;
				// Even the fees of the whole order bound less than the rate alone would pay.
				if share.mul_floor(b.fees) < b.rate_worth {
					bound_bit += 1;
				}
			}
			assert!(all_minted_value < all_fees || rewarded == 0);
			println!(
				"seed {seed}: {reviewed} orders reviewed, {rewarded} rewarded ({bound_bit} bound by \
				 the fees), rewards worth {all_minted_value} for {all_fees} of fees"
			);
			assert!(reviewed > 100 && rewarded > 30, "too few orders ({reviewed}, {rewarded})");
			assert!(bound_bit > 10, "the fee bound bit only {bound_bit} times");
		});
	}
}
