//! Unit tests of the orders pallet against the real escrow, balances and assets pallets,
//! named after the behaviour they show. Every test ends with both pallets' `try_state`
//! (see [`build_and_execute`]).
//!
//! Arithmetic used throughout (platform fee 1%, holdback 10%): an order of 2 × 450 + 100
//! freight = 1_000. On confirmation the holdback is 100; the merchant is paid 900 gross,
//! fee 9, net 891. When the after-sales window closes, the holdback 100 is paid: fee 1, net
//! 99. Merchant 990 + fee 10 + customer 0 = 1_000.

use crate::{
	mock::*, Balance, CurrencyId, Error, Event, HoldReason, LineItem, Merchants, NextOrderId,
	OrderId, OrderOutcome, OrderStatus, Orders as OrderStore, OrdersOfCustomer, OrdersOfMerchant,
	PaymentMode, RefundReason, RefundRequest, TimerKind, Timers, WindowBounds,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungibles::{Inspect, InspectHold},
		tokens::Preservation,
		Hooks,
	},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::{DispatchError, Permill};

mod property;

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
	));
	id
}

fn ship(id: OrderId) {
	assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), id, H256::repeat_byte(9)));
}

fn status(id: OrderId) -> OrderStatus<Test> {
	Orders::order(id).expect("open order").status
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
		));
		// Deposit: 10 + 1 per byte of the 20-byte blob.
		assert_eq!(deposit_held(HoldReason::OrderDeposit, ALICE), 30);
		assert_eq!(escrow_held(ENT, ALICE), 1_000);
		assert_eq!(free(ENT, ALICE), 1_000_000 - 1_000 - 30);
		let order = Orders::order(0).unwrap();
		assert_eq!((order.total, order.locked, order.deposit), (1_000, 1_000, 30));
		assert_eq!(order.status, OrderStatus::Placed { ship_by: 11 });
		assert_eq!(Orders::escrow_of(0).map(|e| e.locked), Some(1_000));
		assert!(OrdersOfCustomer::<Test>::contains_key(ALICE, 0));
		assert!(OrdersOfMerchant::<Test>::contains_key(BOB, 0));
		assert_eq!(Merchants::<Test>::get(BOB).unwrap().open_orders, 1);
		ev(Event::OrderPlaced {
			order_id: 0,
			customer: ALICE,
			merchant: BOB,
			currency: ENT,
			total: 1_000,
			mode: PaymentMode::Escrow,
			deposit: 30,
		});
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
		assert_eq!(status(id), OrderStatus::DirectPaid { ship_by: 11 });
		assert_eq!(Orders::escrow_of(id), None);
		System::assert_has_event(RuntimeEvent::Escrow(pallet_escrow::Event::DirectPaid {
			order_id: id,
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
		assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		assert!(Orders::order(id).is_none());
		assert!(!OrdersOfCustomer::<Test>::contains_key(ALICE, id));
		ev(Event::OrderCancelled { order_id: id });
		ev(Event::RefundPaid { order_id: id, customer: ALICE, currency: USDX, amount: 1_000 });
		ev(Event::OrderArchived {
			order_id: id,
			outcome: OrderOutcome::Cancelled,
			deposit: ORDER_DEPOSIT,
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
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Rejected, deposit: 10 });

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
		run_to_block(10);
		assert!(Orders::order(id).is_some());
		run_to_block(11);
		assert!(Orders::order(id).is_none());
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		ev(Event::OrderExpired { order_id: id });
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Expired, deposit: 10 });
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
		assert_eq!(escrow_held(USDX, ALICE), 100);
		assert_eq!(free(USDX, ALICE), 999_000);
		assert_eq!(status(id), OrderStatus::Settled);
		ev(Event::ReceiptConfirmed { order_id: id, auto: false });
		ev(Event::MerchantPaid {
			order_id: id,
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
		assert_eq!(escrow_held(USDX, ALICE), 100);
		run_to_block(31);
		assert!(Orders::order(id).is_none());
		assert_eq!(escrow_held(USDX, ALICE), 0);
		// Merchant 990 + fee 10 + customer 0 == 1_000 paid.
		assert_eq!(free(USDX, BOB), 990);
		assert_eq!(free(USDX, FEE) - 10, 10);
		assert_eq!(free(USDX, ALICE), 999_000);
		assert_eq!(free(ENT, ALICE), 1_000_000);
		ev(Event::HoldbackReleased {
			order_id: id,
			merchant: BOB,
			currency: USDX,
			gross: 100,
			fee: 1,
			net: 99,
		});
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Completed, deposit: 10 });
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
		assert_eq!(escrow_held(USDX, ALICE), 70);
		ev(Event::RefundAccepted { order_id: id, auto: false });
		ev(Event::RefundPaid { order_id: id, customer: ALICE, currency: USDX, amount: 300 });
		ev(Event::MerchantPaid {
			order_id: id,
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
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Refunded, deposit: 10 });
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
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Refunded, deposit: 10 });
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
		// The old auto-confirm timer (block 21) is stale; the new one settles at 24.
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
		assert_eq!(escrow_held(USDX, ALICE), 40);
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
		ev(Event::OrderArchived { order_id: id, outcome: OrderOutcome::Completed, deposit: 10 });
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
			deposit: 10,
		});
		run_to_block(11);
		ev(Event::OrderArchived {
			order_id: unshipped,
			outcome: OrderOutcome::Expired,
			deposit: 10,
		});
		run_to_block(21);
		ev(Event::ReceiptConfirmed { order_id: auto, auto: true });
		assert_eq!(Merchants::<Test>::get(BOB).unwrap().open_orders, 0);
		assert_eq!(free(ENT, BOB), 10_000 - MERCHANT_DEPOSIT + 3 * 990);
		assert_eq!(free(ENT, ALICE), 1_000_000 - 3_000);
	});
}

// ---- Timers -------------------------------------------------------------------------------------

#[test]
fn timers_spill_into_the_next_block_when_one_is_full() {
	build_and_execute(|| {
		register(BOB);
		for _ in 0..MAX_TIMERS + 1 {
			place(ALICE, ENT, PaymentMode::Escrow);
		}
		assert_eq!(Timers::<Test>::get(11).unwrap().len() as u32, MAX_TIMERS);
		assert_eq!(Timers::<Test>::get(12).unwrap().len(), 1);
		run_to_block(11);
		assert!(Orders::order(MAX_TIMERS as u64).is_some());
		run_to_block(12);
		assert_eq!(OrderStore::<Test>::iter().count(), 0);
	});
}

#[test]
fn overdue_timers_carry_over_and_none_is_skipped() {
	build_and_execute(|| {
		register(BOB);
		for _ in 0..MAX_TIMERS * 2 + 1 {
			place(ALICE, USDX, PaymentMode::Escrow);
		}
		// Three blocks of ship-by timers (11, 12, 13) are due, but blocks 11..=19 were never
		// initialised (e.g. the chain stalled): one block processes at most MAX_TIMERS.
		run_to_block(10);
		System::set_block_number(20);
		Orders::on_initialize(20);
		assert_eq!(OrderStore::<Test>::iter().count() as u32, MAX_TIMERS + 1);
		System::set_block_number(21);
		Orders::on_initialize(21);
		assert_eq!(OrderStore::<Test>::iter().count(), 1);
		System::set_block_number(22);
		Orders::on_initialize(22);
		assert_eq!(OrderStore::<Test>::iter().count(), 0);
		assert_eq!(free(USDX, ALICE), 1_000_000);
	});
}

#[test]
fn a_failed_timer_is_retried_until_it_succeeds() {
	build_and_execute(|| {
		register(BOB);
		// 50 USD: holdback 5, below USD's minimum balance of 10.
		let id = place_custom(ALICE, USDX, items(1, 50), 0, PaymentMode::Escrow);
		ship(id);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(free(USDX, BOB), 45);
		// BOB empties its USD account: the holdback can no longer reach it.
		assert_ok!(<Currencies as frame_support::traits::fungibles::Mutate<_>>::transfer(
			USDX,
			&BOB,
			&CHARLIE,
			45,
			Preservation::Expendable
		));
		run_to_block(31);
		ev(Event::TimerFailed {
			order_id: id,
			kind: TimerKind::AfterSalesEnd,
			error: pallet_escrow::Error::<Test>::PayeeCannotReceive.into(),
			retry_at: 36,
		});
		assert_eq!(status(id), OrderStatus::Settled);
		assert_ok!(<Currencies as frame_support::traits::fungibles::Mutate<_>>::transfer(
			USDX,
			&DAVE,
			&BOB,
			10,
			Preservation::Preserve
		));
		run_to_block(36);
		assert!(Orders::order(id).is_none());
		assert_eq!(free(USDX, BOB), 15);
	});
}

// ---- Disputes -----------------------------------------------------------------------------------

mod disputes {
	use super::*;
	use entrepot_primitives::{DisputeScope, FrozenOrder, OrderDisputes, Payout};

	type Disputes = crate::Pallet<Test>;

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
				Disputes::freeze(direct, DisputeScope::Escrow),
				Error::<Test>::DirectPaymentFinal
			);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			assert_noop!(Disputes::freeze(id, DisputeScope::Escrow), Error::<Test>::NotShippedYet);
			ship(id);
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Holdback),
				Error::<Test>::RefundWindowClosed
			);
			assert_eq!(
				Disputes::freeze(id, DisputeScope::Escrow),
				Ok(FrozenOrder { customer: ALICE, merchant: BOB, currency: USDX, amount: 1_000 })
			);
			assert_eq!(status(id), OrderStatus::Disputed { scope: DisputeScope::Escrow });
			assert_eq!(Disputes::frozen(id), Some(1_000));
			assert_noop!(Disputes::freeze(id, DisputeScope::Escrow), Error::<Test>::OrderDisputed);
			ev(Event::OrderFrozen { order_id: id, scope: DisputeScope::Escrow, amount: 1_000 });
		});
	}

	#[test]
	fn a_frozen_order_ignores_its_timers_and_refuses_both_parties() {
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
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow));
			// The refund response and auto-confirm deadlines pass: nothing moves.
			run_to_block(100);
			assert_eq!(status(id), OrderStatus::Disputed { scope: DisputeScope::Escrow });
			assert_eq!(escrow_held(USDX, ALICE), 1_000);
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
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow));
			let (alice, bob, fee) = (free(USDX, ALICE), free(USDX, BOB), free(USDX, FEE));
			assert_noop!(Disputes::resolve(id, 1_001), Error::<Test>::RefundExceedsLocked);
			// 400 back to the customer; 600 to the merchant: fee 6, net 594. No holdback.
			assert_eq!(Disputes::resolve(id, 400), Ok(Payout { gross: 600, fee: 6, net: 594 }));
			assert_eq!(free(USDX, ALICE), alice + 400);
			assert_eq!(free(USDX, BOB), bob + 594);
			assert_eq!(free(USDX, FEE), fee + 6);
			assert_eq!(escrow_held(USDX, ALICE), 0);
			assert!(Orders::order(id).is_none());
			ev(Event::DisputeSettled { order_id: id, refund: 400, gross: 600, fee: 6, net: 594 });
			ev(Event::OrderArchived {
				order_id: id,
				outcome: OrderOutcome::Completed,
				deposit: ORDER_DEPOSIT,
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
			assert_ok!(Disputes::freeze(id, DisputeScope::Escrow));
			assert_eq!(Disputes::resolve(id, 1_000), Ok(Payout::default()));
			ev(Event::OrderArchived {
				order_id: id,
				outcome: OrderOutcome::Refunded,
				deposit: ORDER_DEPOSIT,
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
			assert_noop!(Disputes::freeze(id, DisputeScope::Escrow), Error::<Test>::AlreadySettled);
			assert_eq!(Disputes::freeze(id, DisputeScope::Holdback).map(|f| f.amount), Ok(100));
			// The window closes while disputed: the holdback stays frozen.
			run_to_block(100);
			assert_eq!(Disputes::frozen(id), Some(100));
			let bob = free(USDX, BOB);
			assert_eq!(Disputes::resolve(id, 100), Ok(Payout::default()));
			assert_eq!(free(USDX, BOB), bob);
			assert!(Orders::order(id).is_none());
		});
	}

	#[test]
	fn the_holdback_scope_is_refused_once_the_window_closed() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			run_to_block(31);
			assert!(Orders::order(id).is_none());
			assert_noop!(
				Disputes::freeze(id, DisputeScope::Holdback),
				Error::<Test>::OrderNotFound
			);
		});
	}

	#[test]
	fn resolve_needs_a_frozen_order() {
		build_and_execute(|| {
			register(BOB);
			let id = place(ALICE, USDX, PaymentMode::Escrow);
			ship(id);
			assert_noop!(Disputes::resolve(id, 0), Error::<Test>::OrderNotDisputed);
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
			ev(Event::LoyaltyDiscountPaid { order_id: id, amount: 60, discounted: 60 });
			ev(Event::RefundPaid { order_id: id, customer: ALICE, currency: USDX, amount: 60 });
			assert_eq!(free(USDX, ALICE), before + 60);
			let order = OrderStore::<Test>::get(id).expect("open");
			assert_eq!((order.locked, order.refunded), (940, 60));
			// Cumulative: 40 left.
			assert_noop!(discount(id, ALICE, 41), Error::<Test>::DiscountExceedsShare);
			ship(id);
			assert_ok!(discount(id, ALICE, 40));
			assert_eq!(crate::LoyaltyDiscountOf::<Test>::get(id), Some(100));
			assert_noop!(discount(id, ALICE, 1), Error::<Test>::DiscountExceedsShare);
			// Settles the rest; the discount record goes with the order.
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), id));
			assert_noop!(discount(id, ALICE, 1), Error::<Test>::NotDiscountable);
			run_to_block(40);
			assert!(OrderStore::<Test>::get(id).is_none());
			assert!(crate::LoyaltyDiscountOf::<Test>::get(id).is_none());
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
				crate::DisputeScope::Escrow
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
			// Settled 1_000 (900 paid, 100 held back) at block 1; after-sales until 31.
			assert_eq!(completions(), vec![(id, ALICE, BOB, 1_000, 31)]);
			run_to_block(40);
			assert_eq!(completions().len(), 1);
			// Direct: told with the total when confirmed, vesting at once.
			let direct = place(ALICE, ENT, PaymentMode::Direct);
			ship(direct);
			assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), direct));
			assert_eq!(completions()[1], (direct, ALICE, BOB, 1_000, 40));
			// A cancelled order is never completed.
			let cancelled = place(ALICE, USDX, PaymentMode::Escrow);
			assert_ok!(Orders::cancel_order(RuntimeOrigin::signed(ALICE), cancelled));
			assert_eq!(completions().len(), 2);
		});
	}
}
