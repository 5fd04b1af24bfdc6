//! Unit tests of the orders pallet against the real escrow, balances and assets pallets,
//! named after the behaviour they show. Every test ends with both pallets' `try_state`
//! (see [`build_and_execute`]).
//!
//! Arithmetic used throughout (platform fee 1%, holdback 10%): an order of 2 × 450 + 100
//! freight = 1_000. On confirmation the holdback is 100; the merchant is paid 900 gross,
//! fee 9, net 891. When the after-sales window closes, the holdback 100 is paid: fee 1, net
//! 99. Merchant 990 + fee 10 + customer 0 = 1_000.
//!
//! Escrowed money leaves the customer: it is held on the escrow account ([`vault`]), so the
//! tests read the escrow hold there and the customer's free balance. The order deposit of a
//! one-line order without a document is [`ONE_ITEM_DEPOSIT`].

use crate::{
	mock::*, Balance, CurrencyId, Error, Event, HoldReason, LineItem, NextOrderId, OrderId,
	OrderOutcome, OrderStatus, Orders as OrderStore, OrdersOfCustomer, OrdersOfMerchant,
	PaymentMode, RefundReason, RefundRequest, Timer, TimerAt, TimerCursor, TimerKind, Timers,
	WindowBounds,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungibles::{Inspect, InspectHold, Mutate},
		tokens::Preservation,
		Hooks,
	},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::{DispatchError, Permill};

mod exchange;
mod migration;
mod property;

/// How many ship-by timers [`TIMER_BUDGET`] fires in one block's `on_initialize`.
const SHIP_BY_PER_BLOCK: usize = 3;

/// The order deposit of one line item and no document: the base, 53 bytes for the line item
/// (32 product, 4 quantity, 16 unit price, 1 length prefix) and 1 byte for `None`.
const ONE_ITEM_DEPOSIT: Balance = ORDER_DEPOSIT + 53 + 1;

fn free(currency: CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

fn escrow_held(currency: CurrencyId, who: AccountId) -> Balance {
	<Holds as InspectHold<_>>::balance_on_hold(
		currency,
		&pallet_escrow::HoldReason::Escrow.into(),
		&who,
	)
}

fn deposit_held(reason: HoldReason, who: AccountId) -> Balance {
	<Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
		&reason.into(),
		&who,
	)
}

fn ev(e: Event<Test>) {
	System::assert_has_event(RuntimeEvent::Orders(e));
}

fn register(who: AccountId) {
	assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(who), policy()));
}

/// Places a 2 × 450 + 100 = 1_000 order from `customer` with BOB.
fn place(customer: AccountId, currency: CurrencyId, mode: PaymentMode) -> OrderId {
	place_custom(customer, currency, items(2, 450), 100, mode)
}

fn place_custom(
	customer: AccountId,
	currency: CurrencyId,
	items: BoundedVec<LineItem, frame_support::traits::ConstU32<8>>,
	freight: Balance,
	mode: PaymentMode,
) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Orders::place_order(
		RuntimeOrigin::signed(customer),
		BOB,
		currency,
		items,
		freight,
		H256::repeat_byte(1),
		None,
		mode,
		H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
	));
	id
}

fn ship(id: OrderId) {
	assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9)));
}

fn status(id: OrderId) -> OrderStatus<Test> {
	Orders::order(id).expect("open order").status
}

/// The order's timer: the block it is due in and what it does.
fn timer(id: OrderId) -> Option<(u64, Timer)> {
	let at = TimerAt::<Test>::get(id)?;
	Timers::<Test>::get(at, id).map(|t| (at, t))
}

/// How many timers are stored, in both maps (they must agree).
fn timer_count() -> usize {
	let count = Timers::<Test>::iter().count();
	assert_eq!(TimerAt::<Test>::iter().count(), count, "Timers and TimerAt disagree");
	count
}

/// Moves `who`'s whole free balance of `currency` away, so that its account dies.
fn empty_account(currency: CurrencyId, who: AccountId) {
	let all = free(currency.clone(), who);
	assert_ok!(<Currencies as Mutate<_>>::transfer(
		currency.clone(),
		&who,
		&CHARLIE,
		all,
		Preservation::Expendable
	));
	assert_eq!(free(currency, who), 0);
}

// ---- Merchants ---------------------------------------------------------------------------------

#[test]
fn register_merchant_holds_the_deposit_and_records_the_policy() {
	build_and_execute(|| {
		register(BOB);
		assert_eq!(deposit_held(HoldReason::MerchantDeposit, BOB), MERCHANT_DEPOSIT);
		assert_eq!(Orders::merchant_policy(BOB), Some(policy()));
		assert_eq!(
			order_events(),
			vec![Event::MerchantRegistered { merchant: BOB, deposit: MERCHANT_DEPOSIT }]
		);
	});
}

#[test]
fn register_merchant_fails_on_invalid_policies_and_without_funds() {
	build_and_execute(|| {
		let mut p = policy();
		p.currencies = BoundedVec::new();
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), p),
			Error::<Test>::NoCurrencies
		);
		let mut p = policy();
		p.currencies = BoundedVec::truncate_from(vec![ENT, ENT]);
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), p),
			Error::<Test>::DuplicateCurrency
		);
		let mut p = policy();
		p.ship_within = 0;
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), p),
			Error::<Test>::PolicyOutOfBounds
		);
		let mut p = policy();
		p.holdback = Permill::from_percent(60);
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), p),
			Error::<Test>::PolicyOutOfBounds
		);
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(50), policy()),
			Error::<Test>::InsufficientDeposit
		);
		register(BOB);
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), policy()),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn update_policy_changes_only_orders_placed_afterwards() {
	build_and_execute(|| {
		register(BOB);
		let first = place(ALICE, ENT, PaymentMode::Escrow);
		let mut p = policy();
		p.auto_confirm_after = 50;
		assert_ok!(Orders::update_policy(RuntimeOrigin::signed(BOB), p.clone()));
		ev(Event::PolicyUpdated { merchant: BOB });
		let second = place(ALICE, ENT, PaymentMode::Escrow);
		assert_eq!(Orders::order(first).unwrap().policy.auto_confirm_after, 20);
		assert_eq!(Orders::order(second).unwrap().policy.auto_confirm_after, 50);

		assert_noop!(
			Orders::update_policy(RuntimeOrigin::signed(CHARLIE), policy()),
			Error::<Test>::NotRegistered
		);
		p.return_window = 2_000;
		assert_noop!(
			Orders::update_policy(RuntimeOrigin::signed(BOB), p),
			Error::<Test>::PolicyOutOfBounds
		);
	});
}

#[test]
fn unregister_merchant_returns_the_deposit_only_without_open_orders() {
	build_and_execute(|| {
		assert_noop!(
			Orders::unregister_merchant(RuntimeOrigin::signed(BOB)),
			Error::<Test>::NotRegistered
		);
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(
			Orders::unregister_merchant(RuntimeOrigin::signed(BOB)),
			Error::<Test>::HasOpenOrders
		);
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Orders::unregister_merchant(RuntimeOrigin::signed(BOB)));
		assert_eq!(deposit_held(HoldReason::MerchantDeposit, BOB), 0);
		assert_eq!(free(ENT, BOB), 10_000);
		ev(Event::MerchantUnregistered { merchant: BOB, deposit: MERCHANT_DEPOSIT });
	});
}

#[test]
fn set_policy_bounds_is_admin_only_and_applies_to_new_policies() {
	build_and_execute(|| {
		let mut bounds = Bounds::get();
		bounds.ship_within = WindowBounds { min: 20, max: 100 };
		assert_noop!(
			Orders::set_policy_bounds(RuntimeOrigin::signed(ALICE), bounds),
			DispatchError::BadOrigin
		);
		let mut bad = bounds;
		bad.return_window = WindowBounds { min: 0, max: 10 };
		assert_noop!(
			Orders::set_policy_bounds(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidBounds
		);
		bad.return_window = WindowBounds { min: 11, max: 10 };
		assert_noop!(
			Orders::set_policy_bounds(RuntimeOrigin::root(), bad),
			Error::<Test>::InvalidBounds
		);
		assert_ok!(Orders::set_policy_bounds(RuntimeOrigin::root(), bounds));
		ev(Event::PolicyBoundsSet { bounds });
		// policy() ships within 10 blocks: now below the minimum.
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), policy()),
			Error::<Test>::PolicyOutOfBounds
		);
	});
}

// ---- Placing and paying -------------------------------------------------------------------------

#[test]
fn place_order_in_escrow_locks_the_total_and_holds_the_deposit() {
	build_and_execute(|| {
		register(BOB);
		let blob: BoundedVec<u8, _> = BoundedVec::truncate_from(vec![1u8; 20]);
		assert_ok!(Orders::place_order(
			RuntimeOrigin::signed(ALICE),
			BOB,
			ENT,
			items(2, 450),
			100,
			H256::repeat_byte(1),
			Some(blob),
			PaymentMode::Escrow,
			H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
		));
		// Deposit: 10 + 1 per byte stored: the line item (53) and the 20-byte blob (22 with its
		// `Some` and length prefix).
		assert_eq!(deposit_held(HoldReason::OrderDeposit, ALICE), 85);
		// The total left ALICE: it is held on the escrow account.
		assert_eq!(escrow_held(ENT, ALICE), 0);
		assert_eq!(escrow_held(ENT, vault()), 1_000);
		assert_eq!(free(ENT, vault()), ED);
		assert_eq!(free(ENT, ALICE), 1_000_000 - 1_000 - 85);
		let order = Orders::order(0).unwrap();
		assert_eq!((order.total, order.locked, order.deposit, order.fees), (1_000, 1_000, 85, 0));
		assert_eq!(order.status, OrderStatus::Placed { ship_by: 11 });
		assert_eq!(Orders::escrow_of(0).map(|e| e.locked), Some(1_000));
		assert!(OrdersOfCustomer::<Test>::contains_key(ALICE, 0));
		assert!(OrdersOfMerchant::<Test>::contains_key(BOB, 0));
		assert_eq!(OrdersOfMerchant::<Test>::iter_prefix(BOB).count(), 1);
		ev(Event::OrderPlaced {
			order_id: 0,
			reference: H256::from_low_u64_be(0),
			deposit_currency: ENT,
			exchange: None,
			customer: ALICE,
			merchant: BOB,
			currency: ENT,
			total: 1_000,
			mode: PaymentMode::Escrow,
			deposit: 85,
		});
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::Locked {
			order_id: 0,
			reference: H256::from_low_u64_be(0),
			payer: ALICE,
			payee: BOB,
			currency: ENT,
			amount: 1_000,
		}));
	});
}

#[test]
fn place_order_fails_on_invalid_orders() {
	build_and_execute(|| {
		let call = |who: AccountId, merchant, currency, items, freight| {
			Orders::place_order(
				RuntimeOrigin::signed(who),
				merchant,
				currency,
				items,
				freight,
				H256::zero(),
				None,
				PaymentMode::Escrow,
				H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
			)
		};
		assert_noop!(call(ALICE, BOB, ENT, items(1, 100), 0), Error::<Test>::NotRegistered);
		register(BOB);
		assert_noop!(call(BOB, BOB, ENT, items(1, 100), 0), Error::<Test>::CustomerIsMerchant);
		assert_noop!(call(ALICE, BOB, EURX, items(1, 100), 0), Error::<Test>::CurrencyNotAccepted);
		assert_noop!(call(ALICE, BOB, ENT, BoundedVec::new(), 0), Error::<Test>::NoItems);
		assert_noop!(call(ALICE, BOB, ENT, items(0, 100), 0), Error::<Test>::ZeroQuantity);
		assert_noop!(call(ALICE, BOB, ENT, items(1, 0), 0), Error::<Test>::ZeroTotal);
		assert_noop!(call(ALICE, BOB, ENT, items(2, Balance::MAX), 0), Error::<Test>::Overflow);
		assert_noop!(call(ALICE, BOB, ENT, items(1, 1), Balance::MAX), Error::<Test>::Overflow);
		assert_noop!(call(50, BOB, ENT, items(1, 100), 0), Error::<Test>::InsufficientDeposit);
		assert_noop!(
			call(ALICE, BOB, USDX, items(1, 5), 0),
			pallet_escrow::Error::<Test>::BelowMinimum
		);
		assert_noop!(
			call(CHARLIE, BOB, ENT, items(1, 50_000), 0),
			pallet_escrow::Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn place_order_direct_pays_the_merchant_at_once_minus_the_fee() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Direct);
		assert_eq!(free(USDX, ALICE), 1_000_000 - 1_000);
		assert_eq!(free(USDX, BOB), 990);
		assert_eq!(free(USDX, FEE), 10 + 10);
		assert_eq!(escrow_held(USDX, ALICE), 0);
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert_eq!(Orders::order(id).map(|o| (o.paid_out, o.fees)), Some((1_000, 10)));
		assert_eq!(status(id), OrderStatus::DirectPaid { ship_by: 11 });
		assert_eq!(Orders::escrow_of(id), None);
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::DirectPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			payer: ALICE,
			payee: BOB,
			currency: USDX,
			gross: 1_000,
			fee: 10,
			net: 990,
		}));
	});
}

// ---- Before shipping ----------------------------------------------------------------------------

#[test]
fn cancel_order_refunds_in_full_and_archives_with_the_deposit_returned() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		assert_eq!(free(USDX, ALICE), 999_000);
		assert_eq!(escrow_held(USDX, vault()), 1_000);
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert!(Orders::order(id).is_none());
		assert_eq!(timer(id), None);
		assert!(!OrdersOfCustomer::<Test>::contains_key(ALICE, id));
		ev(Event::OrderCancelled { order_id: id });
		ev(Event::RefundPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			converted: None,
			customer: ALICE,
			currency: USDX,
			amount: 1_000,
		});
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Cancelled,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn cancel_order_fails_when_not_allowed() {
	build_and_execute(|| {
		register(BOB);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::OrderNotFound
		);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::NotCustomer
		);
		let direct = place(ALICE, ENT, PaymentMode::Direct);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(ALICE), direct),
			Error::<Test>::DirectPaymentFinal
		);
		ship(id);
		assert_noop!(
			Orders::cancel_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AlreadyShipped
		);
	});
}

#[test]
fn reject_order_refunds_in_full_and_archives() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(
			Orders::reject_order(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotMerchant
		);
		assert_noop!(
			Orders::reject_order(RuntimeOrigin::signed(BOB), 9),
			Error::<Test>::OrderNotFound
		);
		assert_ok!(Orders::reject_order(RuntimeOrigin::signed(BOB), id));
		assert_eq!(free(ENT, ALICE), 1_000_000);
		ev(Event::OrderRejected { order_id: id });
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Rejected,
			deposit: ONE_ITEM_DEPOSIT,
		});

		let direct = place(ALICE, ENT, PaymentMode::Direct);
		assert_noop!(
			Orders::reject_order(RuntimeOrigin::signed(BOB), direct),
			Error::<Test>::DirectPaymentFinal
		);
		let shipped = place(ALICE, ENT, PaymentMode::Escrow);
		ship(shipped);
		assert_noop!(
			Orders::reject_order(RuntimeOrigin::signed(BOB), shipped),
			Error::<Test>::AlreadyShipped
		);
	});
}

#[test]
fn order_not_shipped_in_time_is_refunded_automatically() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		assert_eq!(timer(id), Some((11, Timer::new(TimerKind::ShipBy))));
		run_to_block(10);
		assert!(Orders::order(id).is_some());
		run_to_block(11);
		assert!(Orders::order(id).is_none());
		assert_eq!(timer(id), None);
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		ev(Event::OrderExpired { order_id: id });
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Expired,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn mark_shipped_starts_the_auto_confirm_clock() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		run_to_block(3);
		ship(id);
		assert_eq!(status(id), OrderStatus::Shipped { confirm_by: 23 });
		// The ship-by timer is replaced by the auto-confirm one.
		assert_eq!(timer(id), Some((23, Timer::new(TimerKind::AutoConfirm))));
		assert_eq!(Timers::<Test>::get(11, id), None);
		assert_eq!(Orders::order(id).unwrap().tracking, Some(H256::repeat_byte(9)));
		ev(Event::OrderShipped { order_id: id, tracking: H256::repeat_byte(9), confirm_by: 23 });
	});
}

#[test]
fn mark_shipped_fails_when_not_allowed() {
	build_and_execute(|| {
		register(BOB);
		assert_noop!(
			Orders::mark_shipped(RuntimeOrigin::signed(BOB), 9, H256::zero()),
			Error::<Test>::OrderNotFound
		);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(
			Orders::mark_shipped(RuntimeOrigin::signed(ALICE), id, H256::zero()),
			Error::<Test>::NotMerchant
		);
		let late = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		assert_noop!(
			Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::zero()),
			Error::<Test>::AlreadyShipped
		);
		// The deadline passed but its timer has not run yet.
		System::set_block_number(11);
		assert_noop!(
			Orders::mark_shipped(RuntimeOrigin::signed(BOB), late, H256::zero()),
			Error::<Test>::ShipWindowClosed
		);
	});
}

// ---- Receipt and settlement ---------------------------------------------------------------------

#[test]
fn confirm_receipt_pays_merchant_minus_fee_and_holdback() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(free(USDX, BOB), 891);
		assert_eq!(free(USDX, FEE), 10 + 9);
		assert_eq!(escrow_held(USDX, vault()), 100);
		assert_eq!(free(USDX, ALICE), 999_000);
		assert_eq!(status(id), OrderStatus::Settled);
		let order = Orders::order(id).unwrap();
		assert_eq!((order.locked, order.paid_out, order.fees), (100, 900, 9));
		assert_eq!(timer(id), Some((31, Timer::new(TimerKind::AfterSalesEnd))));
		ev(Event::ReceiptConfirmed { order_id: id, auto: false });
		ev(Event::MerchantPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			merchant: BOB,
			currency: USDX,
			gross: 900,
			fee: 9,
			net: 891,
			holdback: 100,
			after_sales_until: 31,
		});
	});
}

#[test]
fn holdback_is_paid_when_the_after_sales_window_closes() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		run_to_block(30);
		assert_eq!(escrow_held(USDX, vault()), 100);
		assert_eq!(Orders::order(id).map(|o| o.fees), Some(9));
		run_to_block(31);
		assert!(Orders::order(id).is_none());
		assert_eq!(escrow_held(USDX, vault()), 0);
		assert_eq!(free(USDX, vault()), 10, "the escrow account keeps its minimum balance");
		// Merchant 990 + fee 10 + customer 0 == 1_000 paid.
		assert_eq!(free(USDX, BOB), 990);
		assert_eq!(free(USDX, FEE) - 10, 10);
		assert_eq!(free(USDX, ALICE), 999_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		ev(Event::HoldbackReleased {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			merchant: BOB,
			currency: USDX,
			gross: 100,
			fee: 1,
			net: 99,
		});
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Completed,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn receipt_is_confirmed_automatically_after_the_auto_confirm_period() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		run_to_block(20);
		assert!(matches!(status(id), OrderStatus::Shipped { .. }));
		run_to_block(21);
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(free(ENT, BOB), 10_000 - MERCHANT_DEPOSIT + 891);
		assert_eq!(free(ENT, FEE), ED + 9);
		ev(Event::ReceiptConfirmed { order_id: id, auto: true });
	});
}

#[test]
fn confirm_receipt_fails_when_not_allowed() {
	build_and_execute(|| {
		register(BOB);
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::OrderNotFound
		);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotShippedYet
		);
		ship(id);
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::NotCustomer
		);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Damaged
		));
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::RefundPending
		);
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_noop!(
			Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::AlreadySettled
		);
	});
}

// ---- Refunds ------------------------------------------------------------------------------------

#[test]
fn partial_refund_without_return_pays_the_refund_and_settles_the_rest() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			300,
			false,
			RefundReason::Damaged
		));
		ev(Event::RefundRequested {
			order_id: id,
			amount: 300,
			return_goods: false,
			reason: RefundReason::Damaged,
			respond_by: 6,
		});
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		// 300 back; of the 700 left, 70 held back, 630 paid: fee 6, net 624.
		assert_eq!(free(USDX, ALICE), 999_300);
		assert_eq!(free(USDX, BOB), 624);
		assert_eq!(free(USDX, FEE), 16);
		assert_eq!(escrow_held(USDX, vault()), 70);
		ev(Event::RefundAccepted { order_id: id, auto: false });
		ev(Event::RefundPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			converted: None,
			customer: ALICE,
			currency: USDX,
			amount: 300,
		});
		ev(Event::MerchantPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			merchant: BOB,
			currency: USDX,
			gross: 630,
			fee: 6,
			net: 624,
			holdback: 70,
			after_sales_until: 31,
		});
	});
}

#[test]
fn full_refund_with_return_refunds_everything_and_archives() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			1_000,
			true,
			RefundReason::NotAsDescribed
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(
			status(id),
			OrderStatus::AwaitingReturn {
				request: RefundRequest {
					amount: 1_000,
					return_goods: true,
					reason: RefundReason::NotAsDescribed
				},
				return_by: 11
			}
		);
		assert_ok!(Orders::mark_returned(RuntimeOrigin::signed(ALICE), id, H256::repeat_byte(5)));
		ev(Event::ReturnMarked { order_id: id, tracking: H256::repeat_byte(5), confirm_by: 11 });
		assert_ok!(Orders::confirm_return(RuntimeOrigin::signed(BOB), id));
		assert!(Orders::order(id).is_none());
		assert_eq!(free(ENT, ALICE), 1_000_000);
		assert_eq!(free(ENT, FEE), ED);
		ev(Event::ReturnConfirmed { order_id: id, auto: false });
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Refunded,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn silence_on_a_refund_request_counts_as_acceptance() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			1_000,
			false,
			RefundReason::NotReceived
		));
		run_to_block(5);
		assert!(matches!(status(id), OrderStatus::RefundRequested { .. }));
		run_to_block(6);
		assert!(Orders::order(id).is_none());
		assert_eq!(free(USDX, ALICE), 1_000_000);
		ev(Event::RefundAccepted { order_id: id, auto: true });
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Refunded,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn silence_on_a_marked_return_counts_as_confirmation() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			400,
			true,
			RefundReason::WrongItem
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		run_to_block(4);
		assert_ok!(Orders::mark_returned(RuntimeOrigin::signed(ALICE), id, H256::repeat_byte(5)));
		run_to_block(14);
		// 400 back; 600 left: 60 held back, 540 paid, fee 5 (5.4 rounded down), net 535.
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(free(USDX, ALICE), 999_400);
		assert_eq!(free(USDX, BOB), 535);
		ev(Event::ReturnConfirmed { order_id: id, auto: true });
	});
}

#[test]
fn a_return_not_sent_in_time_lapses_and_the_order_settles_as_confirmed() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			400,
			true,
			RefundReason::ChangedMind
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		run_to_block(11);
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(free(USDX, BOB), 891);
		assert_eq!(free(USDX, ALICE), 999_000);
		ev(Event::RefundLapsed { order_id: id });
	});
}

#[test]
fn reject_refund_leaves_the_order_shipped_with_a_fresh_clock() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Other
		));
		run_to_block(4);
		assert_noop!(
			Orders::reject_refund(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotMerchant
		);
		assert_ok!(Orders::reject_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(status(id), OrderStatus::Shipped { confirm_by: 24 });
		ev(Event::RefundRejected { order_id: id });
		assert_noop!(
			Orders::reject_refund(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NoRefundRequested
		);
		// One request against the escrow: the next step is a dispute.
		assert_noop!(
			Orders::request_refund(
				RuntimeOrigin::signed(ALICE),
				id,
				100,
				false,
				RefundReason::Other
			),
			Error::<Test>::RefundAlreadyRequested
		);
		// The order's timer was replaced: no auto-confirm timer is left at block 21; the new
		// one settles at 24.
		assert_eq!(timer(id), Some((24, Timer::new(TimerKind::AutoConfirm))));
		assert_eq!(Timers::<Test>::get(21, id), None);
		assert_eq!(timer_count(), 1);
		run_to_block(23);
		assert!(matches!(status(id), OrderStatus::Shipped { .. }));
		run_to_block(24);
		assert_eq!(status(id), OrderStatus::Settled);
	});
}

#[test]
fn reject_refund_fails_after_the_response_deadline() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Other
		));
		System::set_block_number(6);
		assert_noop!(
			Orders::reject_refund(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::ResponseWindowClosed
		);
	});
}

#[test]
fn request_refund_fails_when_not_allowed() {
	build_and_execute(|| {
		register(BOB);
		let req = |who: AccountId, id, amount| {
			Orders::request_refund(
				RuntimeOrigin::signed(who),
				id,
				amount,
				false,
				RefundReason::Other,
			)
		};
		assert_noop!(req(ALICE, 9, 10), Error::<Test>::OrderNotFound);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		assert_noop!(req(DAVE, id, 10), Error::<Test>::NotCustomer);
		assert_noop!(req(ALICE, id, 10), Error::<Test>::NotShippedYet);
		let direct = place(ALICE, ENT, PaymentMode::Direct);
		assert_noop!(req(ALICE, direct, 10), Error::<Test>::DirectPaymentFinal);
		ship(id);
		assert_noop!(req(ALICE, id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(req(ALICE, id, 1_001), Error::<Test>::RefundExceedsLocked);
		assert_ok!(req(ALICE, id, 10));
		assert_noop!(req(ALICE, id, 10), Error::<Test>::RefundPending);
		assert_ok!(Orders::reject_refund(RuntimeOrigin::signed(BOB), id));
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		// Against the holdback (100): no more than it.
		assert_noop!(req(ALICE, id, 101), Error::<Test>::RefundExceedsLocked);
		assert_ok!(req(ALICE, id, 100));
		assert_ok!(Orders::reject_refund(RuntimeOrigin::signed(BOB), id));
		assert_noop!(req(ALICE, id, 50), Error::<Test>::RefundAlreadyRequested);
		let late = place(ALICE, ENT, PaymentMode::Escrow);
		ship(late);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), late));
		// The after-sales window closed but its timer has not run yet.
		System::set_block_number(31);
		assert_noop!(req(ALICE, late, 10), Error::<Test>::RefundWindowClosed);
	});
}

#[test]
fn accept_refund_and_return_steps_fail_when_not_allowed() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, ENT, PaymentMode::Escrow);
		ship(id);
		assert_noop!(
			Orders::accept_refund(RuntimeOrigin::signed(BOB), 9),
			Error::<Test>::OrderNotFound
		);
		assert_noop!(
			Orders::accept_refund(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NoRefundRequested
		);
		assert_noop!(
			Orders::mark_returned(RuntimeOrigin::signed(ALICE), id, H256::zero()),
			Error::<Test>::NotAwaitingReturn
		);
		assert_noop!(
			Orders::confirm_return(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotReturned
		);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			500,
			true,
			RefundReason::Damaged
		));
		assert_noop!(
			Orders::accept_refund(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotMerchant
		);
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_noop!(
			Orders::mark_returned(RuntimeOrigin::signed(DAVE), id, H256::zero()),
			Error::<Test>::NotCustomer
		);
		assert_ok!(Orders::mark_returned(RuntimeOrigin::signed(ALICE), id, H256::zero()));
		assert_noop!(
			Orders::confirm_return(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotMerchant
		);
		let other = place(ALICE, ENT, PaymentMode::Escrow);
		ship(other);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			other,
			500,
			true,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), other));
		System::set_block_number(11);
		assert_noop!(
			Orders::mark_returned(RuntimeOrigin::signed(ALICE), other, H256::zero()),
			Error::<Test>::ReturnWindowClosed
		);
	});
}

#[test]
fn after_sales_refund_is_paid_from_the_holdback() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		run_to_block(5);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			60,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(escrow_held(USDX, vault()), 40);
		// Back to settled: the after-sales timer is where the window ends.
		assert_eq!(timer(id), Some((31, Timer::new(TimerKind::AfterSalesEnd))));
		run_to_block(31);
		// Customer 60 back; merchant 891 + 40 (fee 0: 0.4 rounds down) = 931; fee 9.
		assert!(Orders::order(id).is_none());
		assert_eq!(free(USDX, ALICE), 999_060);
		assert_eq!(free(USDX, BOB), 931);
		assert_eq!(free(USDX, FEE), 19);
	});
}

#[test]
fn after_sales_refund_of_the_whole_holdback_archives_the_order() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			100,
			false,
			RefundReason::Damaged
		));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert!(Orders::order(id).is_none());
		assert_eq!(timer(id), None);
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Completed,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

// ---- Direct orders ------------------------------------------------------------------------------

#[test]
fn direct_order_is_archived_on_receipt_or_when_not_shipped_in_time() {
	build_and_execute(|| {
		register(BOB);
		let confirmed = place(ALICE, ENT, PaymentMode::Direct);
		let unshipped = place(ALICE, ENT, PaymentMode::Direct);
		let auto = place(ALICE, ENT, PaymentMode::Direct);
		ship(confirmed);
		ship(auto);
		assert_eq!(status(auto), OrderStatus::DirectShipped { confirm_by: 21 });
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), confirmed));
		ev(Event::OrderArchived {
			order_id: confirmed,
			outcome: OrderOutcome::Completed,
			deposit: ONE_ITEM_DEPOSIT,
		});
		run_to_block(11);
		ev(Event::OrderArchived {
			order_id: unshipped,
			outcome: OrderOutcome::Expired,
			deposit: ONE_ITEM_DEPOSIT,
		});
		run_to_block(21);
		ev(Event::ReceiptConfirmed { order_id: auto, auto: true });
		assert_eq!(OrdersOfMerchant::<Test>::iter_prefix(BOB).count(), 0);
		assert_eq!(free(ENT, BOB), 10_000 - MERCHANT_DEPOSIT + 3 * 990);
		assert_eq!(free(ENT, ALICE), 1_000_000 - 3_000);
	});
}

// ---- Timers -------------------------------------------------------------------------------------

#[test]
fn every_open_order_has_exactly_one_timer_the_deadline_of_its_state() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		assert_eq!(timer(id), Some((11, Timer::new(TimerKind::ShipBy))));
		run_to_block(2);
		ship(id);
		assert_eq!(timer(id), Some((22, Timer::new(TimerKind::AutoConfirm))));
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			400,
			true,
			RefundReason::WrongItem
		));
		assert_eq!(timer(id), Some((7, Timer::new(TimerKind::RefundResponse))));
		assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), id));
		assert_eq!(timer(id), Some((12, Timer::new(TimerKind::ReturnBy))));
		run_to_block(3);
		assert_ok!(Orders::mark_returned(RuntimeOrigin::signed(ALICE), id, H256::repeat_byte(5)));
		assert_eq!(timer(id), Some((13, Timer::new(TimerKind::ReturnConfirm))));
		assert_ok!(Orders::confirm_return(RuntimeOrigin::signed(BOB), id));
		assert_eq!(timer(id), Some((33, Timer::new(TimerKind::AfterSalesEnd))));
		// Every step replaced the timer: one is stored, none of the earlier ones.
		assert_eq!(timer_count(), 1);
		run_to_block(32);
		assert_eq!(status(id), OrderStatus::Settled);
		run_to_block(33);
		assert!(Orders::order(id).is_none());
		assert_eq!(timer_count(), 0);
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Completed,
			deposit: ONE_ITEM_DEPOSIT,
		});
	});
}

#[test]
fn overdue_timers_carry_over_oldest_first_and_none_is_skipped() {
	build_and_execute(|| {
		register(BOB);
		// Four orders due at block 11, four at block 12, one at block 13.
		let mut due: Vec<Vec<OrderId>> = Vec::new();
		for (block, count) in [(1, 4), (2, 4), (3, 1)] {
			run_to_block(block);
			due.push((0..count).map(|_| place(ALICE, USDX, PaymentMode::Escrow)).collect());
		}
		let open = |ids: &[OrderId]| ids.iter().filter(|id| Orders::order(**id).is_some()).count();
		assert_eq!(SHIP_BY_PER_BLOCK, 3);
		// Blocks 11..=19 were never initialised (the chain stalled). At block 20, one block's
		// budget fires three of block 11's timers; the fourth stays first in line.
		System::set_block_number(20);
		Orders::on_initialize(20);
		assert_eq!((open(&due[0]), open(&due[1]), open(&due[2])), (1, 4, 1));
		assert_eq!(TimerCursor::<Test>::get(), 11, "block 11 still has a timer");
		// Then block 11's last before any of block 12's, and block 12's before block 13's.
		System::set_block_number(21);
		Orders::on_initialize(21);
		assert_eq!((open(&due[0]), open(&due[1]), open(&due[2])), (0, 2, 1));
		System::set_block_number(22);
		Orders::on_initialize(22);
		assert_eq!(OrderStore::<Test>::iter().count(), 0);
		assert_eq!(timer_count(), 0);
		let expired = order_events()
			.iter()
			.filter(|e| matches!(e, Event::OrderExpired { .. }))
			.count();
		assert_eq!(expired, 9, "each order expired exactly once");
		assert_eq!(free(USDX, ALICE), 1_000_000);
	});
}

/// A settled 50 USD order whose holdback (5, below USD's minimum balance of 10) cannot reach
/// BOB any more: BOB emptied its USD account, which died.
fn order_with_an_unpayable_holdback() -> OrderId {
	let id = place_custom(ALICE, USDX, items(1, 50), 0, PaymentMode::Escrow);
	ship(id);
	assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
	assert_eq!(free(USDX, BOB), 45);
	empty_account(USDX, BOB);
	id
}

#[test]
fn a_failed_timer_is_retried_until_it_succeeds() {
	build_and_execute(|| {
		register(BOB);
		let id = order_with_an_unpayable_holdback();
		run_to_block(31);
		ev(Event::TimerFailed {
			order_id: id,
			kind: TimerKind::AfterSalesEnd,
			error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
			failures: 1,
			retry_at: 36,
		});
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(timer(id), Some((36, Timer { kind: TimerKind::AfterSalesEnd, failures: 1 })));
		assert_eq!(escrow_held(USDX, vault()), 5);
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			USDX,
			&DAVE,
			&BOB,
			10,
			Preservation::Preserve
		));
		run_to_block(36);
		assert!(Orders::order(id).is_none());
		assert_eq!(timer(id), None);
		assert_eq!(free(USDX, BOB), 15);
		ev(Event::HoldbackReleased {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			merchant: BOB,
			currency: USDX,
			gross: 5,
			fee: 0,
			net: 5,
		});
	});
}

// ---- Attacks ------------------------------------------------------------------------------------

#[test]
fn a_flood_of_cancelled_orders_leaves_no_timer_behind_and_blocks_no_honest_order() {
	build_and_execute(|| {
		register(BOB);
		// ALICE places 300 orders in block 1: every ship-by deadline is block 11.
		let flood: Vec<OrderId> =
			(0..300).map(|_| place(ALICE, ENT, PaymentMode::Escrow)).collect();
		assert_eq!(Timers::<Test>::iter_prefix(11).count(), 300);
		// Then cancels them all.
		for id in &flood {
			assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), *id));
		}
		// Not one of their timers is left, in either map.
		assert!(flood
			.iter()
			.all(|id| timer(*id).is_none() && !TimerAt::<Test>::contains_key(id)));
		assert_eq!(Timers::<Test>::iter_prefix(11).count(), 0);
		assert_eq!(timer_count(), 0);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		// An honest order placed in the same window succeeds, and `on_initialize` alone keeps
		// its deadline at block 11: no stale timer stands in its way.
		let honest = place(DAVE, USDX, PaymentMode::Escrow);
		assert_eq!(timer(honest), Some((11, Timer::new(TimerKind::ShipBy))));
		run_to_block(10);
		assert!(Orders::order(honest).is_some());
		run_to_block(11);
		assert!(Orders::order(honest).is_none());
		ev(Event::OrderExpired { order_id: honest });
		ev(Event::RefundPaid {
			order_id: honest,
			reference: H256::from_low_u64_be(honest),
			converted: None,
			customer: DAVE,
			currency: USDX,
			amount: 1_000,
		});
		ev(Event::OrderArchived {
			order_id: honest,
			outcome: OrderOutcome::Expired,
			deposit: ONE_ITEM_DEPOSIT,
		});
		assert_eq!(free(USDX, DAVE), 1_000_000);
		assert_eq!(timer_count(), 0);
	});
}

#[test]
fn a_saturating_burst_of_honest_orders_all_place_and_every_timer_fires() {
	build_and_execute(|| {
		register(BOB);
		let open =
			|ids: &[OrderId]| ids.iter().filter(|id| OrderStore::<Test>::contains_key(id)).count();
		// 300 orders in block 1, all due at block 11: none is refused.
		let burst: Vec<OrderId> =
			(0..300).map(|_| place(ALICE, USDX, PaymentMode::Escrow)).collect();
		// Four more in block 2, due at block 12.
		run_to_block(2);
		let later: Vec<OrderId> = (0..4).map(|_| place(DAVE, USDX, PaymentMode::Escrow)).collect();
		assert_eq!(Timers::<Test>::iter_prefix(11).count(), 300);
		assert_eq!(Timers::<Test>::iter_prefix(12).count(), 4);

		// `on_initialize`'s budget alone: a few timers a block from block 11 on, block 11's
		// before block 12's, none skipped.
		run_to_block(10);
		assert_eq!(open(&burst) + open(&later), 304);
		let mut block = 10;
		while open(&burst) + open(&later) > 0 {
			block += 1;
			run_to_block(block);
			let fired = 304 - open(&burst) - open(&later);
			let expected = (SHIP_BY_PER_BLOCK * (block as usize - 10)).min(304);
			assert_eq!(fired, expected, "timers fired by block {block}");
			if open(&burst) > 0 {
				assert_eq!(open(&later), 4, "a later deadline fired before an earlier one");
			}
		}
		assert_eq!(block as usize, 10 + 304usize.div_ceil(SHIP_BY_PER_BLOCK));
		assert_eq!(open(&burst) + open(&later), 0);
		let mut expired: Vec<OrderId> = order_events()
			.into_iter()
			.filter_map(|e| {
				if let Event::OrderExpired { order_id } = e {
					Some(order_id)
				} else {
					None
				}
			})
			.collect();
		expired.sort();
		let mut all: Vec<OrderId> = burst.iter().chain(later.iter()).copied().collect();
		all.sort();
		assert_eq!(expired, all, "every order expired exactly once");
		assert_eq!((free(USDX, ALICE), free(USDX, DAVE)), (1_000_000, 1_000_000));

		// With the blocks' idle time, a burst as big fires in its deadline block itself.
		let deadline = block + 10;
		let burst: Vec<OrderId> =
			(0..300).map(|_| place(ALICE, USDX, PaymentMode::Escrow)).collect();
		assert_eq!(Timers::<Test>::iter_prefix(deadline).count(), 300);
		run_to_block_with_idle(deadline - 1);
		assert_eq!(open(&burst), 300, "nothing fires before its deadline");
		System::reset_events();
		run_to_block_with_idle(deadline);
		assert_eq!(open(&burst), 0);
		let expired = order_events()
			.iter()
			.filter(|e| matches!(e, Event::OrderExpired { .. }))
			.count();
		assert_eq!(expired, 300);
		assert_eq!((timer_count(), TimerCursor::<Test>::get()), (0, deadline + 1));
		assert_eq!(free(USDX, ALICE), 1_000_000);
	});
}

#[test]
fn anyone_may_poke_an_overdue_deadline_and_not_before() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_noop!(Orders::poke(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
		assert_noop!(
			Orders::poke(RuntimeOrigin::signed(CHARLIE), 99),
			Error::<Test>::OrderNotFound
		);
		// Before the auto-confirm deadline (21): nothing is due and nothing changes.
		run_to_block(20);
		assert_noop!(Orders::poke(RuntimeOrigin::signed(CHARLIE), id), Error::<Test>::NothingDue);
		assert_eq!(timer(id), Some((21, Timer::new(TimerKind::AutoConfirm))));

		// The deadline passed and no block's budget reached it yet (block 21's hooks have not
		// run): a stranger fires it.
		System::set_block_number(21);
		assert_ok!(Orders::poke(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(free(USDX, BOB), 891);
		ev(Event::ReceiptConfirmed { order_id: id, auto: true });
		ev(Event::MerchantPaid {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			merchant: BOB,
			currency: USDX,
			gross: 900,
			fee: 9,
			net: 891,
			holdback: 100,
			after_sales_until: 51,
		});
		// The auto-confirm timer is gone; the order's timer is its new state's deadline.
		assert_eq!(Timers::<Test>::get(21, id), None);
		assert_eq!(timer(id), Some((51, Timer::new(TimerKind::AfterSalesEnd))));
		assert_eq!(timer_count(), 1);
		assert_noop!(Orders::poke(RuntimeOrigin::signed(DAVE), id), Error::<Test>::NothingDue);
		// The chain's own processing finds nothing more to do for it.
		run_to_block(50);
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(free(USDX, BOB), 891);

		// The customer of an unshipped order pokes its ship-by deadline for its refund.
		let unshipped = place(ALICE, USDX, PaymentMode::Escrow);
		System::set_block_number(59);
		assert_noop!(
			Orders::poke(RuntimeOrigin::signed(ALICE), unshipped),
			Error::<Test>::NothingDue
		);
		System::set_block_number(60);
		assert_ok!(Orders::poke(RuntimeOrigin::signed(ALICE), unshipped));
		assert!(Orders::order(unshipped).is_none());
		assert_eq!(timer(unshipped), None);
		ev(Event::OrderExpired { order_id: unshipped });
		ev(Event::OrderArchived {
			order_id: unshipped,
			outcome: OrderOutcome::Expired,
			deposit: ONE_ITEM_DEPOSIT,
		});
		assert_eq!(free(USDX, ALICE), 999_000);
	});
}

#[test]
fn a_payout_that_can_never_succeed_closes_the_order_after_max_failures() {
	build_and_execute(|| {
		register(BOB);
		let id = order_with_an_unpayable_holdback();
		// The after-sales end (31) fails, and every retry 5 blocks later.
		for failures in 1..MAX_TIMER_FAILURES {
			let at = 31 + 5 * u64::from(failures - 1);
			run_to_block(at);
			ev(Event::TimerFailed {
				order_id: id,
				kind: TimerKind::AfterSalesEnd,
				error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
				failures,
				retry_at: at + 5,
			});
			assert_eq!(
				timer(id),
				Some((at + 5, Timer { kind: TimerKind::AfterSalesEnd, failures }))
			);
			assert_eq!(status(id), OrderStatus::Settled);
		}
		let last = 31 + 5 * u64::from(MAX_TIMER_FAILURES - 1);
		run_to_block(last - 1);
		assert!(Orders::order(id).is_some());
		let (alice, fee) = (free(USDX, ALICE), free(USDX, FEE));
		// The last failure closes the order with the after-sales end's outcome: the holdback
		// is the merchant's, and the 5 it cannot receive (below USD's minimum of 10) go to the
		// platform. The customer gets nothing she was not owed.
		run_to_block(last);
		assert!(Orders::order(id).is_none());
		assert_eq!(timer(id), None);
		assert_eq!((free(USDX, ALICE), free(USDX, FEE)), (alice, fee + 5));
		assert_eq!(escrow_held(USDX, vault()), 0);
		let failed =
			order_events().iter().filter(|e| matches!(e, Event::TimerFailed { .. })).count();
		assert_eq!(failed as u32, MAX_TIMER_FAILURES - 1);
		assert!(!order_events().iter().any(|e| matches!(e, Event::RefundPaid { .. })));
		ev(Event::OrderClosedAfterFailures {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			kind: TimerKind::AfterSalesEnd,
			refunded: 0,
			paid: 0,
			forfeited: 5,
		});
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Completed,
			deposit: ONE_ITEM_DEPOSIT,
		});
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::Forfeited {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			payer: ALICE,
			currency: USDX,
			amount: 5,
		}));
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::Closed {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			payer: ALICE,
			payee: BOB,
			currency: USDX,
			amount: 50,
			refunded: 0,
			released_gross: 50,
			fees: 5,
		}));
	});
}

#[test]
fn a_dust_refund_request_does_not_turn_into_a_full_refund() {
	build_and_execute(|| {
		register(BOB);
		// A 1 000 USD order; the customer asks for 5 back (no return) and then empties her
		// USD account, so that the 5 can never reach her and the merchant's acceptance fails.
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			5,
			false,
			RefundReason::Damaged
		));
		empty_account(USDX, ALICE);
		assert_noop!(
			Orders::accept_refund(RuntimeOrigin::signed(BOB), id),
			pallet_escrow::Error::<Test>::PayeeCannotReceive
		);
		let bob = free(USDX, BOB);
		// The merchant stays silent: the response deadline (block 6) fails until it closes.
		let last = 6 + 5 * u64::from(MAX_TIMER_FAILURES - 1);
		run_to_block(last);
		assert!(Orders::order(id).is_none());
		// Closing carries out the acceptance: the 5 (dust she cannot receive) go to the
		// platform, the 995 to the merchant, minus its fee. Not a full refund.
		assert_eq!(free(USDX, ALICE), 0);
		assert_eq!(free(USDX, BOB), bob + 995 - 9);
		ev(Event::OrderClosedAfterFailures {
			order_id: id,
			reference: H256::from_low_u64_be(id),
			kind: TimerKind::RefundResponse,
			refunded: 0,
			paid: 995,
			forfeited: 5,
		});
	});
}

#[test]
fn a_payout_that_is_not_dust_is_retried_for_as_long_as_it_fails_and_never_forfeited() {
	build_and_execute(|| {
		register(BOB);
		let id = place(ALICE, USDX, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		// The stablecoin's freezer blocks the merchant: the 100 of holdback cannot reach it.
		assert_ok!(Assets::block(RuntimeOrigin::signed(ALICE), USD.into(), BOB));
		let last = 31 + 5 * u64::from(MAX_TIMER_FAILURES - 1);
		run_to_block(last + 10);
		// Past MaxTimerFailures the order cannot close (100 is not dust): still retried, and
		// every failure reported.
		assert_eq!(status(id), OrderStatus::Settled);
		assert_eq!(escrow_held(USDX, vault()), 100);
		let failures = MAX_TIMER_FAILURES + 2;
		assert_eq!(
			timer(id),
			Some((last + 15, Timer { kind: TimerKind::AfterSalesEnd, failures }))
		);
		ev(Event::TimerFailed {
			order_id: id,
			kind: TimerKind::AfterSalesEnd,
			error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
			failures,
			retry_at: last + 15,
		});
		// Unblocked, it is paid at the next retry.
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ALICE), USD.into(), BOB));
		let bob = free(USDX, BOB);
		run_to_block(last + 15);
		assert!(Orders::order(id).is_none());
		assert_eq!(free(USDX, BOB), bob + 99);
	});
}

#[test]
fn the_order_deposit_pays_for_the_line_items_and_the_document() {
	build_and_execute(|| {
		register(BOB);
		let line = |n: u8, unit_price: Balance| LineItem {
			product: H256::repeat_byte(n),
			quantity: 1,
			unit_price,
		};
		let one: BoundedVec<LineItem, _> = BoundedVec::truncate_from(vec![line(1, 100)]);
		let three: BoundedVec<LineItem, _> =
			BoundedVec::truncate_from(vec![line(1, 100), line(2, 100), line(3, 100)]);
		let doc: BoundedVec<u8, _> = BoundedVec::truncate_from(vec![7u8; 40]);
		let place_with = |items: BoundedVec<LineItem, _>, doc: Option<BoundedVec<u8, _>>| {
			let id = NextOrderId::<Test>::get();
			assert_ok!(Orders::place_order(
				RuntimeOrigin::signed(ALICE),
				BOB,
				ENT,
				items,
				0,
				H256::repeat_byte(1),
				doc,
				PaymentMode::Escrow,
				H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
			));
			Orders::order(id).expect("placed").deposit
		};
		let base = place_with(one.clone(), None);
		assert_eq!(base, ONE_ITEM_DEPOSIT);
		ev(Event::OrderPlaced {
			order_id: 0,
			reference: H256::from_low_u64_be(0),
			deposit_currency: ENT,
			exchange: None,
			customer: ALICE,
			merchant: BOB,
			currency: ENT,
			total: 100,
			mode: PaymentMode::Escrow,
			deposit: ONE_ITEM_DEPOSIT,
		});
		// Two more line items: 52 bytes each.
		let more_items = place_with(three.clone(), None);
		assert_eq!(more_items - base, 2 * 52);
		assert_eq!(more_items - base, (three.encoded_size() - one.encoded_size()) as Balance);
		// A 40-byte document: its bytes, its length and `Some` instead of `None`.
		let with_doc = place_with(one, Some(doc.clone()));
		assert_eq!(with_doc - base, 41);
		assert_eq!(
			with_doc - base,
			(Some(doc.clone()).encoded_size() - None::<Vec<u8>>.encoded_size()) as Balance
		);
		let both = place_with(three, Some(doc));
		assert_eq!(both - base, 2 * 52 + 41);
		assert_eq!(
			deposit_held(HoldReason::OrderDeposit, ALICE),
			base + more_items + with_doc + both
		);

		// An account that can pay for a small order's bytes cannot for the largest one (8 line
		// items and a 64-byte document: 10 + 417 + 66 = 493), however cheap its goods.
		assert_ok!(<Currencies as Mutate<_>>::transfer(
			ENT,
			&DAVE,
			&60,
			300,
			Preservation::Preserve
		));
		let largest: BoundedVec<LineItem, _> =
			BoundedVec::truncate_from((1..=8).map(|n| line(n, 1)).collect::<Vec<_>>());
		assert_noop!(
			Orders::place_order(
				RuntimeOrigin::signed(60),
				BOB,
				ENT,
				largest,
				0,
				H256::zero(),
				Some(BoundedVec::truncate_from(vec![0u8; 64])),
				PaymentMode::Escrow,
				H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
			),
			Error::<Test>::InsufficientDeposit
		);
		assert_ok!(Orders::place_order(
			RuntimeOrigin::signed(60),
			BOB,
			ENT,
			items(1, 100),
			0,
			H256::zero(),
			None,
			PaymentMode::Escrow,
			H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
		));
		assert_eq!(deposit_held(HoldReason::OrderDeposit, 60), ONE_ITEM_DEPOSIT);
	});
}

#[test]
fn deposits_and_escrow_cannot_come_from_frozen_funds() {
	build_and_execute(|| {
		use frame_support::traits::{LockIdentifier, LockableCurrency, WithdrawReasons};
		const VOTE: LockIdentifier = *b"vote    ";
		let lock = |who: AccountId, amount: Balance| {
			<Balances as LockableCurrency<_>>::set_lock(VOTE, &who, amount, WithdrawReasons::all())
		};
		let unlock = |who: AccountId| <Balances as LockableCurrency<_>>::remove_lock(VOTE, &who);
		let order = |currency: CurrencyId| {
			Orders::place_order(
				RuntimeOrigin::signed(DAVE),
				BOB,
				currency,
				items(2, 450),
				100,
				H256::repeat_byte(1),
				None,
				PaymentMode::Escrow,
				H256::from_low_u64_be(crate::NextOrderId::<Test>::get()),
			)
		};

		// BOB's whole ENT is under a vote lock: no merchant deposit out of it.
		lock(BOB, 10_000);
		assert_noop!(
			Orders::register_merchant(RuntimeOrigin::signed(BOB), policy()),
			Error::<Test>::InsufficientDeposit
		);
		unlock(BOB);
		register(BOB);
		assert_eq!(deposit_held(HoldReason::MerchantDeposit, BOB), MERCHANT_DEPOSIT);

		// DAVE's whole ENT is locked: no order deposit in ENT; an ENT order cannot post it in
		// USD either.
		lock(DAVE, 1_000_000);
		assert_noop!(order(ENT), Error::<Test>::InsufficientDeposit);
		// A USD order posts it in USD, at the reference rate (1 ENT = 1/2 USD, rounded up),
		// out of funds no freeze covers.
		let usd_before = free(USDX, DAVE);
		let id = NextOrderId::<Test>::get();
		assert_ok!(order(USDX));
		let deposit = ONE_ITEM_DEPOSIT.div_ceil(2);
		assert_eq!(
			Orders::order(id).map(|o| (o.deposit_currency, o.deposit)),
			Some((USDX, deposit))
		);
		assert_eq!(free(USDX, DAVE), usd_before - 1_000 - deposit);
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(DAVE), id));
		assert_eq!(free(USDX, DAVE), usd_before);
		// All but 500 locked: the deposit fits, the 1_000 ENT to escrow do not.
		lock(DAVE, 1_000_000 - 500);
		assert_noop!(order(ENT), pallet_escrow::Error::<Test>::InsufficientBalance);
		assert_eq!((free(ENT, DAVE), escrow_held(ENT, vault())), (1_000_000, 0));
		assert_eq!(deposit_held(HoldReason::OrderDeposit, DAVE), 0);
		// The same order paid in USD, which no lock covers, goes through.
		assert_ok!(order(USDX));
		assert_eq!(escrow_held(USDX, vault()), 1_000);

		// Without the lock, ENT works too.
		unlock(DAVE);
		assert_ok!(order(ENT));
		assert_eq!(escrow_held(ENT, vault()), 1_000);
		assert_eq!(free(ENT, DAVE), 1_000_000 - 1_000 - 2 * ONE_ITEM_DEPOSIT);
		assert_eq!(deposit_held(HoldReason::OrderDeposit, DAVE), 2 * ONE_ITEM_DEPOSIT);
	});
}

// ---- Disputes -----------------------------------------------------------------------------------

mod disputes {
	use super::*;
	use crate::FrozenFrom;
	use entrepot_primitives::{DisputeScope, FrozenOrder, OrderDisputes, Payout, Side};

	type Disputes = crate::Pallet<Test>;

	fn request(amount: Balance, return_goods: bool) -> RefundRequest {
		RefundRequest { amount, return_goods, reason: RefundReason::Damaged }
	}

	fn request_refund(id: OrderId, amount: Balance, return_goods: bool) {
		assert_ok!(Orders::request_refund(
			RuntimeOrigin::signed(ALICE),
			id,
			amount,
			return_goods,
			RefundReason::Damaged
		));
	}

	#[test]
	fn parties_name_customer_merchant_and_currency_of_open_orders() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			assert_eq!(Disputes::parties(id), Some((ALICE, BOB, USDX)));
			assert_eq!(Disputes::parties(id + 1), None);
		});
	}

	#[test]
	fn freeze_needs_a_shipped_unsettled_escrow_order_for_the_escrow_scope() {
		build_and_execute(|| {
			register(BOB);
			let direct = place(ALICE, ENT, PaymentMode::Direct);
			assert_noop!(
				Disputes::freeze(direct, DisputeScope::Escrow, Side::Customer),
				Error::<Test>::DirectPaymentFinal
			);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Customer),
				Error::<Test>::NotShippedYet
			);
			ship(id);
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Holdback, Side::Customer),
				Error::<Test>::RefundWindowClosed
			);
			assert_eq!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Customer),
				Ok(FrozenOrder { customer: ALICE, merchant: BOB, currency: USDX, amount: 1_000 })
			);
			assert_eq!(
				status(id),
				OrderStatus::Disputed { scope: DisputeScope::Escrow, from: FrozenFrom::Shipped }
			);
			assert_eq!(Disputes::frozen(id), Some(1_000));
			// The freeze cancelled the order's timer.
			assert_eq!(timer(id), None);
			assert_eq!(Timers::<Test>::get(21, id), None);
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Customer),
				Error::<Test>::OrderDisputed
			);
			ev(Event::OrderFrozen { order_id: id, scope: DisputeScope::Escrow, amount: 1_000 });
		});
	}

	#[test]
	fn a_frozen_order_ignores_its_timers_and_refuses_both_parties() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			request_refund(id, 300, false);
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow, Side::Customer));
			assert_eq!(timer_count(), 0);
			// The refund response and auto-confirm deadlines pass: nothing moves, and there is
			// nothing to poke.
			run_to_block_with_idle(100);
			assert_eq!(
				status(id),
				OrderStatus::Disputed {
					scope: DisputeScope::Escrow,
					from: FrozenFrom::RefundRequested(request(300, false)),
				}
			);
			assert_eq!(escrow_held(USDX, vault()), 1_000);
			assert_noop!(Orders::poke(RuntimeOrigin::signed(BOB), id), Error::<Test>::NothingDue);
			assert_noop!(
				Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id),
				Error::<Test>::OrderDisputed
			);
			assert_noop!(
				Orders::accept_refund(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::OrderDisputed
			);
		});
	}

	#[test]
	fn resolve_refunds_the_customer_pays_the_rest_and_archives() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow, Side::Customer));
			let (alice, bob, fee) = (free(USDX, ALICE), free(USDX, BOB), free(USDX, FEE));
			assert_noop!(Disputes::resolve(id, 1_001), Error::<Test>::RefundExceedsLocked);
			// 400 back to the customer; 600 to the merchant: fee 6, net 594. No holdback.
			assert_eq!(Disputes::resolve(id, 400), Ok(Payout { gross: 600, fee: 6, net: 594 }));
			assert_eq!(free(USDX, ALICE), alice + 400);
			assert_eq!(free(USDX, BOB), bob + 594);
			assert_eq!(free(USDX, FEE), fee + 6);
			assert_eq!(escrow_held(USDX, vault()), 0);
			assert!(Orders::order(id).is_none());
			ev(Event::DisputeSettled {
				order_id: id,
				reference: H256::from_low_u64_be(id),
				refund: 400,
				gross: 600,
				fee: 6,
				net: 594,
			});
			ev(Event::OrderArchived {
				order_id: id,
				outcome: OrderOutcome::Completed,
				deposit: ONE_ITEM_DEPOSIT,
			});
			assert_eq!(Disputes::frozen(id), None);
		});
	}

	#[test]
	fn a_full_refund_ruling_archives_the_order_as_refunded() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, ENT, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow, Side::Customer));
			assert_eq!(Disputes::resolve(id, 1_000), Ok(Payout::default()));
			ev(Event::OrderArchived {
				order_id: id,
				outcome: OrderOutcome::Refunded,
				deposit: ONE_ITEM_DEPOSIT,
			});
		});
	}

	#[test]
	fn the_holdback_scope_freezes_the_holdback_in_the_after_sales_window_only() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Customer),
				Error::<Test>::AlreadySettled
			);
			assert_eq!(
				Disputes::freeze(id, DisputeScope::Holdback, Side::Customer).map(|f| f.amount),
				Ok(100)
			);
			assert_eq!(
				status(id),
				OrderStatus::Disputed { scope: DisputeScope::Holdback, from: FrozenFrom::Settled }
			);
			// The window closes while disputed: the holdback stays frozen.
			run_to_block(100);
			assert_eq!(Disputes::frozen(id), Some(100));
			let bob = free(USDX, BOB);
			assert_eq!(Disputes::resolve(id, 100), Ok(Payout::default()));
			assert_eq!(free(USDX, BOB), bob);
			assert!(Orders::order(id).is_none());
			ev(Event::DisputeSettled {
				order_id: id,
				reference: H256::from_low_u64_be(id),
				refund: 100,
				gross: 0,
				fee: 0,
				net: 0,
			});
		});
	}

	#[test]
	fn the_holdback_scope_is_refused_once_the_window_closed() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			// The window closed but its timer has not run yet.
			System::set_block_number(31);
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Holdback, Side::Customer),
				Error::<Test>::RefundWindowClosed
			);
			run_to_block(32);
			assert!(Orders::order(id).is_none());
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Holdback, Side::Customer),
				Error::<Test>::OrderNotFound
			);
		});
	}

	#[test]
	fn resolve_and_unfreeze_need_a_frozen_order() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_noop!(Disputes::resolve(id, 0), Error::<Test>::OrderNotDisputed);
			assert_noop!(Disputes::unfreeze(id), Error::<Test>::OrderNotDisputed);
			assert_noop!(Disputes::unfreeze(99), Error::<Test>::OrderNotFound);
		});
	}

	#[test]
	fn a_merchant_cannot_dispute_a_plain_shipped_order() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			// Freezing would stop the customer's auto-confirm clock: refused.
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Merchant),
				Error::<Test>::MerchantCannotDispute
			);
			assert_eq!(timer(id), Some((21, Timer::new(TimerKind::AutoConfirm))));
			// Nor a plain settled order's holdback.
			let settled = place(ALICE, USDX, PaymentMode::Escrow);
			ship(settled);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), settled));
			assert_noop!(
				Disputes::freeze(settled, DisputeScope::Holdback, Side::Merchant),
				Error::<Test>::MerchantCannotDispute
			);
			// Once the customer asked for a refund, the merchant may dispute the request.
			request_refund(id, 300, true);
			assert_eq!(
				Disputes::freeze(id, DisputeScope::Escrow, Side::Merchant),
				Ok(FrozenOrder { customer: ALICE, merchant: BOB, currency: USDX, amount: 1_000 })
			);
			assert_eq!(
				status(id),
				OrderStatus::Disputed {
					scope: DisputeScope::Escrow,
					from: FrozenFrom::RefundRequested(request(300, true)),
				}
			);
			assert_eq!(timer(id), None);
			ev(Event::OrderFrozen { order_id: id, scope: DisputeScope::Escrow, amount: 1_000 });
			// And an after-sales request against the holdback, or a return under way.
			request_refund(settled, 50, true);
			assert_ok!(Orders::accept_refund(RuntimeOrigin::signed(BOB), settled));
			assert_eq!(
				Disputes::freeze(settled, DisputeScope::Holdback, Side::Merchant).map(|f| f.amount),
				Ok(100)
			);
			assert_eq!(
				status(settled),
				OrderStatus::Disputed {
					scope: DisputeScope::Holdback,
					from: FrozenFrom::AwaitingReturn(request(50, true)),
				}
			);
		});
	}

	#[test]
	fn an_unfrozen_order_resumes_where_it_was_with_a_fresh_window() {
		build_and_execute(|| {
			register(BOB);
			// Shipped at block 1 (auto-confirm at 21), frozen at 5, unfrozen at 30.
			let shipped = place(ALICE, USDX, PaymentMode::Escrow);
			ship(shipped);
			// A refund request at block 1 (answer by 6), frozen by the merchant at 3.
			let requested = place(ALICE, USDX, PaymentMode::Escrow);
			ship(requested);
			request_refund(requested, 300, false);
			// Settled at block 1 (after-sales end at 31), its holdback frozen at 5.
			let settled = place(ALICE, USDX, PaymentMode::Escrow);
			ship(settled);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), settled));
			run_to_block(3);
			assert_ok!(Disputes::freeze(requested, DisputeScope::Escrow, Side::Merchant));
			run_to_block(5);
			assert_ok!(Disputes::freeze(shipped, DisputeScope::Escrow, Side::Customer));
			assert_ok!(Disputes::freeze(settled, DisputeScope::Holdback, Side::Customer));
			assert_eq!(timer_count(), 0);

			// Every old deadline passes while frozen.
			run_to_block(20);
			assert_ok!(Disputes::unfreeze(settled));
			ev(Event::OrderUnfrozen { order_id: settled });
			// Settled: its deadline is the end of the after-sales window, which did not move.
			assert_eq!(status(settled), OrderStatus::Settled);
			assert_eq!(timer(settled), Some((31, Timer::new(TimerKind::AfterSalesEnd))));
			run_to_block(30);
			assert_ok!(Disputes::unfreeze(shipped));
			assert_ok!(Disputes::unfreeze(requested));
			ev(Event::OrderUnfrozen { order_id: shipped });
			ev(Event::OrderUnfrozen { order_id: requested });
			// A full auto-confirm period from now, and a full period to answer the request.
			assert_eq!(status(shipped), OrderStatus::Shipped { confirm_by: 50 });
			assert_eq!(timer(shipped), Some((50, Timer::new(TimerKind::AutoConfirm))));
			assert_eq!(
				status(requested),
				OrderStatus::RefundRequested { request: request(300, false), respond_by: 35 }
			);
			assert_eq!(timer(requested), Some((35, Timer::new(TimerKind::RefundResponse))));
			assert_eq!(Disputes::frozen(shipped), None);

			// The rescheduled timers fire at their new deadlines.
			run_to_block(30);
			assert_eq!(status(settled), OrderStatus::Settled);
			run_to_block(31);
			assert!(Orders::order(settled).is_none());
			ev(Event::HoldbackReleased {
				order_id: settled,
				reference: H256::from_low_u64_be(settled),
				merchant: BOB,
				currency: USDX,
				gross: 100,
				fee: 1,
				net: 99,
			});
			run_to_block(34);
			assert!(matches!(status(requested), OrderStatus::RefundRequested { .. }));
			run_to_block(35);
			ev(Event::RefundAccepted { order_id: requested, auto: true });
			ev(Event::RefundPaid {
				order_id: requested,
				reference: H256::from_low_u64_be(requested),
				converted: None,
				customer: ALICE,
				currency: USDX,
				amount: 300,
			});
			assert_eq!(status(requested), OrderStatus::Settled);
			run_to_block(49);
			assert!(matches!(status(shipped), OrderStatus::Shipped { .. }));
			run_to_block(50);
			ev(Event::ReceiptConfirmed { order_id: shipped, auto: true });
			assert_eq!(status(shipped), OrderStatus::Settled);
		});
	}

	#[test]
	fn a_holdback_unfrozen_after_its_window_closed_is_paid_at_once() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			assert_ok!(Disputes::freeze(id, DisputeScope::Holdback, Side::Customer));
			run_to_block(40);
			let bob = free(USDX, BOB);
			assert_ok!(Disputes::unfreeze(id));
			assert!(Orders::order(id).is_none());
			assert_eq!(free(USDX, BOB), bob + 99);
			ev(Event::OrderUnfrozen { order_id: id });
			ev(Event::OrderArchived {
				order_id: id,
				outcome: OrderOutcome::Completed,
				deposit: ONE_ITEM_DEPOSIT,
			});
		});
	}

	#[test]
	fn platform_fees_tell_the_fees_taken_on_an_open_orders_payouts() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			assert_eq!(Disputes::platform_fees(id), Some(0));
			ship(id);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			assert_eq!(Disputes::platform_fees(id), Some(9));
			let direct = place(ALICE, USDX, PaymentMode::Direct);
			assert_eq!(Disputes::platform_fees(direct), Some(10));
			assert_eq!(Disputes::platform_fees(99), None);
		});
	}
}

// ---- Queries ------------------------------------------------------------------------------------

#[test]
fn inquiries_page_through_a_customers_and_a_merchants_orders() {
	build_and_execute(|| {
		register(BOB);
		for _ in 0..5 {
			place(ALICE, ENT, PaymentMode::Escrow);
		}
		place(DAVE, ENT, PaymentMode::Escrow);
		let first = Orders::orders_of_customer(ALICE, None, 3);
		assert_eq!(first.len(), 3);
		let rest = Orders::orders_of_customer(ALICE, first.last().map(|(id, _)| *id), 10);
		assert_eq!(rest.len(), 2);
		let mut all: Vec<_> = first.iter().chain(rest.iter()).map(|(id, _)| *id).collect();
		all.sort();
		assert_eq!(all, vec![0, 1, 2, 3, 4]);
		assert_eq!(Orders::orders_of_merchant(BOB, None, 100).len(), 6);
		// Pages are capped at MaxPageSize (10).
		for _ in 0..6 {
			place(ALICE, ENT, PaymentMode::Escrow);
		}
		assert_eq!(Orders::orders_of_customer(ALICE, None, u32::MAX).len(), 10);
		assert_eq!(Orders::orders_of_customer(CHARLIE, None, 10), vec![]);
		assert_eq!(Orders::merchant_policy(CHARLIE), None);
		assert_eq!(Orders::escrow_of(5).map(|e| (e.payer, e.locked)), Some((DAVE, 1_000)));
		assert_eq!(Escrow::total_locked(ENT), 12_000);
	});
}

#[test]
fn integrity_test_passes_for_the_mock_config() {
	new_test_ext().execute_with(|| {
		<Orders as Hooks<u64>>::integrity_test();
		let _ = <Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
			&HoldReason::OrderDeposit.into(),
			&ALICE,
		);
	});
}

// ---- Loyalty ----------------------------------------------------------------------------------

mod loyalty {
	use super::*;
	use entrepot_primitives::OrderDiscounts;

	type Discounts = Orders;

	fn discount(order: OrderId, who: AccountId, amount: Balance) -> sp_runtime::DispatchResult {
		<Discounts as OrderDiscounts<AccountId>>::discount(order, &who, amount)
	}

	/// BOB accepts loyalty tokens for up to 10% of an order.
	fn register_with_share() {
		let mut p = policy();
		p.loyalty_share = Permill::from_percent(10);
		assert_ok!(Orders::register_merchant(RuntimeOrigin::signed(BOB), p));
	}

	#[test]
	fn discount_refunds_from_escrow_within_the_loyalty_share() {
		build_and_execute(|| {
			register_with_share();
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			let view = <Discounts as OrderDiscounts<AccountId>>::discountable(id).expect("open");
			assert_eq!((view.customer, view.total, view.discounted), (ALICE, 1_000, 0));
			assert_eq!(view.discount_room(), 100);
			let before = free(USDX, ALICE);
			assert_ok!(discount(id, ALICE, 60));
			ev(Event::LoyaltyDiscountPaid {
				order_id: id,
				reference: H256::from_low_u64_be(id),
				amount: 60,
				discounted: 60,
			});
			ev(Event::RefundPaid {
				order_id: id,
				reference: H256::from_low_u64_be(id),
				converted: None,
				customer: ALICE,
				currency: USDX,
				amount: 60,
			});
			assert_eq!(free(USDX, ALICE), before + 60);
			let order = OrderStore::<Test>::get(id).expect("open");
			assert_eq!((order.locked, order.refunded), (940, 60));
			// Cumulative: 40 left.
			assert_noop!(discount(id, ALICE, 41), Error::<Test>::DiscountExceedsShare);
			ship(id);
			assert_ok!(discount(id, ALICE, 40));
			assert_eq!(OrderStore::<Test>::get(id).expect("open").discounted, 100);
			assert_noop!(discount(id, ALICE, 1), Error::<Test>::DiscountExceedsShare);
			// Settles the rest; the discount record goes with the order.
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			assert_noop!(discount(id, ALICE, 1), Error::<Test>::NotDiscountable);
			run_to_block(40);
			assert!(OrderStore::<Test>::get(id).is_none());
			assert!(!<Discounts as OrderDiscounts<AccountId>>::is_open(id));
		});
	}

	#[test]
	fn discount_fails_when_not_allowed() {
		build_and_execute(|| {
			register_with_share();
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			assert_noop!(discount(99, ALICE, 10), Error::<Test>::OrderNotFound);
			assert_noop!(discount(id, DAVE, 10), Error::<Test>::NotCustomer);
			assert_noop!(discount(id, ALICE, 0), Error::<Test>::ZeroAmount);
			let direct = place(ALICE, ENT, PaymentMode::Direct);
			assert_noop!(discount(direct, ALICE, 10), Error::<Test>::DirectPaymentFinal);
			assert!(<Discounts as OrderDiscounts<AccountId>>::discountable(direct).is_none());
			// In a refund step.
			ship(id);
			assert_ok!(Orders::request_refund(
				RuntimeOrigin::signed(ALICE),
				id,
				10,
				false,
				RefundReason::Damaged
			));
			assert_noop!(discount(id, ALICE, 10), Error::<Test>::NotDiscountable);
			assert!(<Discounts as OrderDiscounts<AccountId>>::discountable(id).is_none());
			// A merchant that does not accept tokens.
			let mut p = policy();
			p.loyalty_share = Permill::zero();
			assert_ok!(Orders::update_policy(RuntimeOrigin::signed(BOB), p));
			let plain = place(ALICE, USDX, PaymentMode::Escrow);
			assert_noop!(discount(plain, ALICE, 10), Error::<Test>::LoyaltyNotAccepted);
		});
	}

	#[test]
	fn discount_fails_on_disputed_orders() {
		build_and_execute(|| {
			register_with_share();
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(<Orders as entrepot_primitives::OrderDisputes<AccountId>>::freeze(
				id,
				crate::DisputeScope::Escrow,
				entrepot_primitives::Side::Customer,
			));
			assert_noop!(discount(id, ALICE, 10), Error::<Test>::OrderDisputed);
		});
	}

	#[test]
	fn completion_is_told_once_with_the_settled_value_and_the_vesting_block() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert!(completions().is_empty());
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			// Settled 1_000 (900 paid, fee 9, 100 held back) at block 1; after-sales until 31.
			let completion = |currency, fees, vests_at| CompletionOf {
				customer: ALICE,
				merchant: BOB,
				currency,
				value: 1_000,
				fees,
				vests_at,
			};
			assert_eq!(completions(), vec![(id, completion(USDX, 9, 31))]);
			run_to_block(40);
			assert_eq!(completions().len(), 1);
			// Direct: told with the total and its whole fee when confirmed, vesting at once.
			let direct = place(ALICE, ENT, PaymentMode::Direct);
			ship(direct);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), direct));
			assert_eq!(completions()[1], (direct, completion(ENT, 10, 40)));
			// A cancelled order is never completed.
			let cancelled = place(ALICE, USDX, PaymentMode::Escrow);
			assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), cancelled));
			assert_eq!(completions().len(), 2);
		});
	}
}
