//! Paying in another currency: a customer holding only CNY pays a USD order through
//! [`FixedPool`], escrow holds the USD as for any order, and every refund goes back in CNY at
//! the rate the customer paid (the platform, [`FEE`], bearing the difference), or in USD when
//! the platform cannot convert it. Payment references are unique per merchant among its open
//! orders.
//!
//! Arithmetic (default price 7.021 CNY per USD, costs rounded up): a 1_000 USDX order costs
//! 7_021 CNYX; CAROL's order deposit of [`ONE_ITEM_DEPOSIT`] (64) ENT is held as 224 CNYX
//! (7/2 CNYX per ENT, rounded up). A refund of `r` (after `before` was refunded) pays back
//! `floor((before + r) * paid / total) - floor(before * paid / total)` CNYX.

use super::*;
use crate::Conversion;
use entrepot_dev::Rng;
use entrepot_primitives::{DisputeScope, OrderDisputes, Payout, Side};
use sp_runtime::DispatchResult;

/// CAROL's CNYX at genesis.
const CAROL_START: Balance = 10_000_000;

/// CAROL's order deposit for one line item: she has no ENT, so it is held in CNYX, at 7/2
/// CNYX per ENT, rounded up.
const CNY_DEPOSIT: Balance = (ONE_ITEM_DEPOSIT * 7).div_ceil(2);

fn reference() -> H256 {
	H256::repeat_byte(42)
}

fn storage_root() -> Vec<u8> {
	sp_io::storage::root(sp_runtime::StateVersion::V1)
}

/// The CNYX order deposit held on `who`.
fn cny_held(who: AccountId) -> Balance {
	<Holds as InspectHold<_>>::balance_on_hold(CNYX, &HoldReason::OrderDeposit.into(), &who)
}

/// `who`'s CNYX, free and held.
fn cny_of(who: AccountId) -> Balance {
	free(CNYX, who) + cny_held(who)
}

/// The default price (the pool's price is a thread-local) and BOB registered.
fn setup() {
	set_cny_per_usd_milli(7_021);
	register(BOB);
}

/// What a customer who paid `paid` for an order of `total` is owed in all once `refunded` of
/// it was refunded: rounded down.
fn owed(refunded: Balance, paid: Balance, total: Balance) -> Balance {
	refunded * paid / total
}

/// A one-line order of `total` (no freight) in `currency` with `merchant`, paid in `pay`.
#[allow(clippy::too_many_arguments)]
fn try_exchanged(
	customer: AccountId,
	merchant: AccountId,
	currency: CurrencyId,
	total: Balance,
	reference: H256,
	pay: CurrencyId,
	max_pay: Balance,
	quote_expires: u64,
) -> DispatchResult {
	Orders::place_order_exchanged(
		RuntimeOrigin::signed(customer),
		merchant,
		currency,
		items(1, total),
		0,
		H256::repeat_byte(1),
		None,
		reference,
		pay,
		max_pay,
		quote_expires,
	)
}

/// Places an order of `total` USDX with `merchant`, paid in CNYX at the quote of now; returns
/// the order and what it paid.
fn place_exchanged(
	customer: AccountId,
	merchant: AccountId,
	total: Balance,
	reference: H256,
) -> (OrderId, Balance) {
	let q = Orders::quote(CNYX, USDX, total).expect("the pool exchanges it");
	let id = NextOrderId::<Test>::get();
	assert_ok!(try_exchanged(
		customer,
		merchant,
		USDX,
		total,
		reference,
		CNYX,
		q.pay_amount,
		q.expires_at
	));
	(id, q.pay_amount)
}

fn place_plain(customer: AccountId, reference: H256) -> DispatchResult {
	Orders::place_order(
		RuntimeOrigin::signed(customer),
		BOB,
		USDX,
		items(1, 1_000),
		0,
		H256::repeat_byte(1),
		None,
		PaymentMode::Escrow,
		reference,
	)
}

#[test]
fn a_customer_holding_only_cny_pays_a_usd_order_at_the_quote() {
	build_and_execute(|| {
		setup();
		let r = reference();
		let (pool_cny, pool_usd) = (free(CNYX, POOL), free(USDX, POOL));
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START);
		assert_eq!(free(ENT, CAROL_CNY), 0);
		assert_eq!(free(USDX, CAROL_CNY), 0);

		let q = Orders::quote(CNYX, USDX, 1_000).unwrap();
		// 1_000 × 7.021, rounded up; the quote holds QUOTE_LIFETIME blocks.
		assert_eq!(q.pay_amount, 7_021);
		assert_eq!((q.pay_currency.clone(), q.currency.clone(), q.amount), (CNYX, USDX, 1_000));
		assert_eq!(q.expires_at, 1 + QUOTE_LIFETIME);
		assert_eq!(Orders::quote(USDX, USDX, 1_000), None);
		assert_eq!(Orders::quote(EURX, USDX, 1_000), None);

		let id = NextOrderId::<Test>::get();
		assert_ok!(try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, CNYX, q.pay_amount, q.expires_at));

		// Escrow holds exactly the order's total in its currency.
		assert_eq!(escrow_held(USDX, vault()), 1_000);
		assert_eq!(Orders::escrow_of(id).map(|e| (e.payer, e.locked)), Some((CAROL_CNY, 1_000)));
		// CAROL paid the quote and the deposit, in CNYX: nothing else.
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - q.pay_amount - CNY_DEPOSIT);
		assert_eq!(cny_held(CAROL_CNY), CNY_DEPOSIT);
		assert_eq!(free(USDX, CAROL_CNY), 0);
		assert_eq!(free(ENT, CAROL_CNY), 0);
		// The pool took the CNYX and gave the USDX.
		assert_eq!(free(CNYX, POOL), pool_cny + q.pay_amount);
		assert_eq!(free(USDX, POOL), pool_usd - 1_000);

		let order = Orders::order(id).unwrap();
		let conversion = Conversion { currency: CNYX, paid: q.pay_amount, rate: q.rate };
		assert_eq!(order.exchange, Some(conversion.clone()));
		assert_eq!((order.deposit, order.deposit_currency.clone()), (CNY_DEPOSIT, CNYX));
		assert_eq!((order.total, order.locked, order.reference), (1_000, 1_000, r));
		assert_eq!(order.status, OrderStatus::Placed { ship_by: 11 });
		assert_eq!(Orders::order_by_reference(BOB, r), Some((id, order)));
		assert_eq!(Orders::order_by_reference(BOB, H256::repeat_byte(43)), None);
		assert_eq!(Orders::order_by_reference(CHARLIE, r), None);
		ev(Event::OrderPlaced {
			order_id: id,
			customer: CAROL_CNY,
			merchant: BOB,
			currency: USDX,
			total: 1_000,
			mode: PaymentMode::Escrow,
			deposit: CNY_DEPOSIT,
			deposit_currency: CNYX,
			reference: r,
			exchange: Some(conversion),
		});
	});
}

#[test]
fn bad_exchanged_checkouts_move_nothing() {
	build_and_execute(|| {
		setup();
		let r = reference();

		// An expired quote.
		let q = Orders::quote(CNYX, USDX, 1_000).unwrap();
		run_to_block(q.expires_at + 1);
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, CNYX, q.pay_amount, q.expires_at),
			Error::<Test>::QuoteExpired
		);
		// A quote claiming to hold longer than QUOTE_LIFETIME.
		let now = System::block_number();
		assert_noop!(
			try_exchanged(
				CAROL_CNY,
				BOB,
				USDX,
				1_000,
				r,
				CNYX,
				1_000_000,
				now + QUOTE_LIFETIME + 1
			),
			Error::<Test>::QuoteExpired
		);

		// The price rose above the maximum the customer signed.
		let q = Orders::quote(CNYX, USDX, 1_000).unwrap();
		set_cny_per_usd_milli(7_500);
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, CNYX, q.pay_amount, q.expires_at),
			Error::<Test>::PriceAboveMaximum
		);
		set_cny_per_usd_milli(7_021);

		// Paying in the order's own currency.
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, USDX, 1_000_000, q.expires_at),
			Error::<Test>::SameCurrency
		);
		// Paying in a currency the pools do not exchange.
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, EURX, 1_000_000, q.expires_at),
			Error::<Test>::NoExchangeRoute
		);
		// An order in a currency the merchant does not accept.
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, EURX, 1_000, r, CNYX, 1_000_000, q.expires_at),
			Error::<Test>::CurrencyNotAccepted
		);
		// An order bigger than the pool's liquidity.
		let big = free(USDX, POOL);
		assert!(Orders::quote(CNYX, USDX, big).is_none());
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, big, r, CNYX, Balance::MAX, q.expires_at),
			Error::<Test>::NoExchangeRoute
		);
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START);
		assert_eq!(cny_held(CAROL_CNY), 0);
		assert_eq!(NextOrderId::<Test>::get(), 0);

		// A reference already in use by an open order of the merchant: exchanged or not.
		let (id, _) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		let q = Orders::quote(CNYX, USDX, 1_000).unwrap();
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, CNYX, q.pay_amount, q.expires_at),
			Error::<Test>::DuplicateReference
		);
		assert_noop!(place_plain(ALICE, r), Error::<Test>::DuplicateReference);
		assert_eq!(Orders::order_by_reference(BOB, r).map(|(id, _)| id), Some(id));
		assert_eq!(NextOrderId::<Test>::get(), id + 1);
	});
}

#[test]
fn a_full_refund_returns_exactly_what_was_paid_in_cny_even_after_the_price_moved() {
	build_and_execute(|| {
		setup();
		let r = reference();
		let (pool_cny, pool_usd, fee_cny) = (free(CNYX, POOL), free(USDX, POOL), free(CNYX, FEE));
		let (id, paid) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		assert_eq!(paid, 7_021);

		set_cny_per_usd_milli(8_000);
		System::reset_events();
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(CAROL_CNY), id));

		// What the pool gives for the 1_000 USDX refunded at the new price, as the mock
		// computes it (USDX to CNYX: `amount * 1_000 / milli`, rounded down).
		let out: Balance = 1_000 * 1_000 / 8_000;
		// CAROL is back where she started, deposit included, and holds no USD.
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START);
		assert_eq!(cny_held(CAROL_CNY), 0);
		assert_eq!(free(USDX, CAROL_CNY), 0);
		// The platform paid her back and got the pool's output for the USD.
		assert_eq!(free(CNYX, FEE) as i128 - fee_cny as i128, out as i128 - paid as i128);
		assert_eq!(free(CNYX, POOL), pool_cny + paid - out);
		assert_eq!(free(USDX, POOL), pool_usd);
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert!(Orders::order(id).is_none());
		assert!(Orders::order_by_reference(BOB, r).is_none());

		ev(Event::RefundPaid {
			order_id: id,
			reference: r,
			customer: CAROL_CNY,
			currency: USDX,
			amount: 1_000,
			converted: Some((CNYX, paid)),
		});
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Cancelled,
			deposit: CNY_DEPOSIT,
		});
		assert!(!order_events().iter().any(|e| matches!(e, Event::RefundNotConverted { .. })));
	});
}

#[test]
fn partial_refunds_add_up_to_what_was_paid() {
	build_and_execute(|| {
		setup();
		let r = reference();
		let (id, paid) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		ship(id);

		// 333 back before settlement, without return.
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(CAROL_CNY),
			id,
			333,
			false,
			RefundReason::Damaged
		));
		System::reset_events();
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		let owed1 = owed(333, paid, 1_000);
		assert_eq!(owed1, 2_337);
		ev(Event::RefundPaid {
			order_id: id,
			reference: r,
			customer: CAROL_CNY,
			currency: USDX,
			amount: 333,
			converted: Some((CNYX, owed1)),
		});
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - CNY_DEPOSIT - paid + owed1);
		assert_eq!(free(USDX, CAROL_CNY), 0);

		// The rest settles to BOB in USDX: 667 locked, holdback 66, 601 released.
		let settled = order_events().into_iter().find_map(|e| match e {
			Event::MerchantPaid { order_id, currency, gross, fee, net, holdback, .. }
				if order_id == id =>
			{
				Some((currency, gross, fee, net, holdback))
			},
			_ => None,
		});
		let (currency, gross, fee, net, holdback) = settled.expect("the rest settled");
		assert_eq!((currency, gross, holdback), (USDX, 601, 66));
		assert_eq!(net + fee, gross);
		assert_eq!(free(USDX, BOB), net);
		assert_eq!(Orders::order(id).unwrap().locked, 66);

		// 50 more back in the after-sales window, out of the holdback.
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(CAROL_CNY),
			id,
			50,
			false,
			RefundReason::Damaged
		));
		System::reset_events();
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		let owed2 = owed(383, paid, 1_000) - owed1;
		assert_eq!(owed2, 352);
		ev(Event::RefundPaid {
			order_id: id,
			reference: r,
			customer: CAROL_CNY,
			currency: USDX,
			amount: 50,
			converted: Some((CNYX, owed2)),
		});
		// In all, what 383 of 1_000 is of what she paid, rounded down once (not twice).
		assert_eq!(owed1 + owed2, owed(383, paid, 1_000));
		let all_owed = owed(383, paid, 1_000);
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - CNY_DEPOSIT - paid + all_owed);

		// The after-sales window closes: BOB gets the 16 left, CAROL her deposit.
		run_to_block(40);
		assert!(Orders::order(id).is_none());
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert_eq!(cny_held(CAROL_CNY), 0);
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - paid + owed(383, paid, 1_000));
		assert_eq!(free(USDX, CAROL_CNY), 0);
	});
}

#[test]
fn a_dispute_refund_is_converted_at_the_paid_rate() {
	build_and_execute(|| {
		setup();
		let r = reference();
		let (id, paid) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		ship(id);
		assert_ok!(<Orders as OrderDisputes<AccountId>>::freeze(
			id,
			DisputeScope::Escrow,
			Side::Customer
		));
		// The price moves while the dispute runs: the refund keeps the rate she paid.
		set_cny_per_usd_milli(8_000);
		let (fee_cny, pool_cny) = (free(CNYX, FEE), free(CNYX, POOL));
		System::reset_events();
		assert_eq!(
			<Orders as OrderDisputes<AccountId>>::resolve(id, 400),
			Ok(Payout { gross: 600, fee: 6, net: 594 })
		);
		let back = owed(400, paid, 1_000);
		assert_eq!(back, 2_808);
		ev(Event::RefundPaid {
			order_id: id,
			reference: r,
			customer: CAROL_CNY,
			currency: USDX,
			amount: 400,
			converted: Some((CNYX, back)),
		});
		// The order is archived: the deposit is back too.
		assert!(Orders::order(id).is_none());
		assert_eq!(cny_held(CAROL_CNY), 0);
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - paid + back);
		assert_eq!(free(USDX, CAROL_CNY), 0);
		assert_eq!(free(USDX, BOB), 594);
		// The pool's output for 400 USDX at the new price, as the mock rounds it.
		let out: Balance = 400 * 1_000 / 8_000;
		assert_eq!(free(CNYX, FEE) as i128 - fee_cny as i128, out as i128 - back as i128);
		assert_eq!(free(CNYX, POOL), pool_cny - out);
	});
}

#[test]
fn a_refund_the_platform_cannot_convert_is_paid_in_the_order_currency() {
	build_and_execute(|| {
		setup();
		let r = reference();
		let (id, paid) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		// The platform keeps only its minimum CNYX balance.
		let spare = free(CNYX, FEE) - 10;
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			CNYX,
			&FEE,
			&DAVE,
			spare,
			Preservation::Preserve
		));
		assert_eq!(free(CNYX, FEE), 10);
		let (pool_cny, pool_usd) = (free(CNYX, POOL), free(USDX, POOL));

		System::reset_events();
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(CAROL_CNY), id));
		// CAROL gets the order's currency, at the merchant's price; her deposit is back.
		assert_eq!(free(USDX, CAROL_CNY), 1_000);
		assert_eq!(free(CNYX, CAROL_CNY), CAROL_START - paid);
		assert_eq!(cny_held(CAROL_CNY), 0);
		// Nothing of the conversion happened.
		assert_eq!(free(CNYX, FEE), 10);
		assert_eq!((free(CNYX, POOL), free(USDX, POOL)), (pool_cny, pool_usd));
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert!(order_events().iter().any(|e| matches!(
			e,
			Event::RefundNotConverted { order_id, reference, .. }
				if *order_id == id && *reference == r
		)));
		ev(Event::RefundPaid {
			order_id: id,
			reference: r,
			customer: CAROL_CNY,
			currency: USDX,
			amount: 1_000,
			converted: None,
		});
		assert!(Orders::order(id).is_none());
	});
}

#[test]
fn references_are_unique_per_open_order_and_per_merchant() {
	build_and_execute(|| {
		setup();
		register(CHARLIE);
		let r = reference();
		let (first, _) = place_exchanged(CAROL_CNY, BOB, 1_000, r);
		// Another merchant may use the same reference.
		let (other, _) = place_exchanged(CAROL_CNY, CHARLIE, 1_000, r);
		assert_eq!(Orders::order_by_reference(BOB, r).map(|(id, _)| id), Some(first));
		assert_eq!(Orders::order_by_reference(CHARLIE, r).map(|(id, _)| id), Some(other));

		// The same merchant may not, exchanged or not, whoever the customer.
		let q = Orders::quote(CNYX, USDX, 1_000).unwrap();
		assert_noop!(
			try_exchanged(CAROL_CNY, BOB, USDX, 1_000, r, CNYX, q.pay_amount, q.expires_at),
			Error::<Test>::DuplicateReference
		);
		assert_noop!(place_plain(ALICE, r), Error::<Test>::DuplicateReference);
		assert_noop!(place_plain(DAVE, r), Error::<Test>::DuplicateReference);

		// Once the first order is archived, the reference is free again.
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(CAROL_CNY), first));
		assert_eq!(Orders::order_by_reference(BOB, r), None);
		let again = NextOrderId::<Test>::get();
		assert_ok!(place_plain(ALICE, r));
		assert_eq!(Orders::order_by_reference(BOB, r).map(|(id, _)| id), Some(again));
		assert_eq!(Orders::order_by_reference(CHARLIE, r).map(|(id, _)| id), Some(other));
		assert_noop!(place_plain(ALICE, r), Error::<Test>::DuplicateReference);
	});
}

// ---- Property ---------------------------------------------------------------------------------

/// What the events of the property test add up to.
#[derive(Default)]
struct Tally {
	/// CNYX the customers paid at checkout.
	paid_in: Balance,
	/// CNYX the customers received back from converted refunds.
	converted_back: Balance,
	placed: u32,
	converted: u32,
	not_converted: u32,
}

impl Tally {
	fn audit_events(&mut self) {
		for e in order_events() {
			match e {
				Event::OrderPlaced { exchange, .. } => {
					let c = exchange.expect("every order of the property test is exchanged");
					assert_eq!(c.currency, CNYX);
					self.paid_in += c.paid;
					self.placed += 1;
				},
				Event::RefundPaid { converted: Some((currency, amount)), .. } => {
					assert_eq!(currency, CNYX);
					self.converted_back += amount;
					self.converted += 1;
				},
				Event::RefundNotConverted { .. } => self.not_converted += 1,
				_ => {},
			}
		}
	}
}

const CUSTOMERS: [AccountId; 2] = [CAROL_CNY, DAVE];
/// Everyone who ever holds CNYX in the property test.
const CNY_HOLDERS: [AccountId; 4] = [CAROL_CNY, DAVE, POOL, FEE];

fn customers_cny() -> Balance {
	CUSTOMERS.iter().map(|w| cny_of(*w)).sum()
}

fn random_exchanged_orders(seed: u64) {
	setup();
	assert_ok!(<Currencies as Mutate<_>>::mint_into(CNYX, &DAVE, 10_000_000));
	let cny_supply = <Currencies as Inspect<_>>::total_issuance(CNYX);
	let usd_supply = <Currencies as Inspect<_>>::total_issuance(USDX);
	assert_eq!(CNY_HOLDERS.iter().map(|w| cny_of(*w)).sum::<Balance>(), cny_supply);
	let customers_start = customers_cny();
	let mut tally = Tally::default();
	let mut rng = Rng(0x0E4C_4A4E_6E5E_ED00 ^ seed);

	let check = |tally: &Tally| {
		check_invariants();
		assert_eq!(<Currencies as Inspect<_>>::total_issuance(CNYX), cny_supply);
		assert_eq!(<Currencies as Inspect<_>>::total_issuance(USDX), usd_supply);
		// No CNYX appears or vanishes: it only moves among customers, pool and platform.
		assert_eq!(
			CNY_HOLDERS.iter().map(|w| cny_of(*w)).sum::<Balance>(),
			cny_supply,
			"CNYX left the customers, the pool and the platform"
		);
		// The customers' CNYX moved only by checkouts and converted refunds.
		assert_eq!(
			customers_cny() + tally.paid_in,
			customers_start + tally.converted_back,
			"customers' CNYX differs from checkouts and converted refunds"
		);
		// Escrow holds exactly what the open orders have locked.
		let locked: Balance = OrderStore::<Test>::iter().map(|(_, o)| o.locked).sum();
		assert_eq!(escrow_held(USDX, vault()), locked);
		assert_eq!(Escrow::total_locked(USDX), locked);
	};

	for _ in 0..300 {
		System::reset_events();
		let open: Vec<(OrderId, AccountId)> =
			OrderStore::<Test>::iter().map(|(id, o)| (id, o.customer)).collect();
		let before = storage_root();
		let result: Option<DispatchResult> = match rng.below(10) {
			0..=3 => {
				let customer = rng.pick(&CUSTOMERS);
				let total = 1 + rng.below(3_000) as Balance;
				let pay = rng.pick(&[CNYX, CNYX, CNYX, CNYX, CNYX, USDX, EURX]);
				let quoted = Orders::quote(pay.clone(), USDX, total).map_or(0, |q| q.pay_amount);
				let max_pay = match rng.below(6) {
					0 => quoted.saturating_sub(1),
					1 => quoted + 100,
					_ => quoted,
				};
				let now = System::block_number();
				// From one block ago to one block beyond the quote's lifetime.
				let expires = (now + rng.below(QUOTE_LIFETIME + 3)).saturating_sub(1);
				let reference = H256::from_low_u64_be(rng.below(500));
				Some(try_exchanged(customer, BOB, USDX, total, reference, pay, max_pay, expires))
			},
			4 => {
				set_cny_per_usd_milli(6_500 + u128::from(rng.below(1_501)));
				None
			},
			5 | 6 if !open.is_empty() => {
				let (id, customer) = rng.pick(&open);
				let who = if rng.below(5) == 0 {
					rng.pick(&[ALICE, BOB, CAROL_CNY, DAVE])
				} else {
					customer
				};
				Some(Orders::cancel_order(RuntimeOrigin::signed(who), id))
			},
			7 if !open.is_empty() => {
				let (id, customer) = rng.pick(&open);
				let shipped =
					Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9));
				if shipped.is_ok() {
					// A confirmation may fail (a payout too small for the merchant's account):
					// then it changes nothing.
					let between = storage_root();
					if let Err(e) = Orders::confirm_receipt(RuntimeOrigin::signed(customer), id) {
						let after = storage_root();
						assert_eq!(after, between, "a failed confirmation ({e:?}) changed storage");
					}
				}
				Some(shipped)
			},
			_ => {
				run_to_block(System::block_number() + 1 + rng.below(6));
				None
			},
		};
		if let Some(Err(e)) = result {
			assert_eq!(storage_root(), before, "a failed call ({e:?}) changed storage");
		}
		tally.audit_events();
		check(&tally);
	}

	// Every timer fires: all orders end, escrow holds nothing.
	System::reset_events();
	run_to_block(System::block_number() + 200);
	tally.audit_events();
	check(&tally);
	assert_eq!(OrderStore::<Test>::iter().count(), 0);
	assert_eq!(escrow_held(USDX, vault()), 0);
	assert!(
		tally.placed >= 10 && tally.converted >= 3,
		"too few exchanged orders: {} placed, {} refunds converted, {} not converted",
		tally.placed,
		tally.converted,
		tally.not_converted
	);
}

#[test]
fn random_exchanged_orders_conserve_money() {
	for seed in 1..=3u64 {
		build_and_execute(|| random_exchanged_orders(seed));
	}
}
