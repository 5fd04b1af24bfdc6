//! Unit tests of the escrow pallet, named after the behaviour they show. Every test ends with
//! the pallet's `try_state` (see [`build_and_execute`]).

use crate::{mock::*, Error, Escrows, Event, HoldReason, PlatformFee, TotalLocked};
use entrepot_primitives::{Escrow as _, EscrowInfo, Payout};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungibles::{Inspect, InspectHold},
};
use sp_runtime::{DispatchError, Permill};

fn free(currency: entrepot_primitives::CurrencyId, who: AccountId) -> Balance {
	<Currencies as Inspect<_>>::balance(currency, &who)
}

fn held(currency: entrepot_primitives::CurrencyId, who: AccountId) -> Balance {
	<Holds as InspectHold<_>>::balance_on_hold(currency, &HoldReason::Escrow.into(), &who)
}

fn issuance(currency: entrepot_primitives::CurrencyId) -> Balance {
	<Currencies as Inspect<_>>::total_issuance(currency)
}

#[test]
fn lock_holds_native_funds_on_the_payers_account() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(7, &ALICE, &BOB, ENT, 1_000));
		assert_eq!(free(ENT, ALICE), 999_000);
		assert_eq!(held(ENT, ALICE), 1_000);
		assert_eq!(TotalLocked::<Test>::get(ENT), 1_000);
		assert_eq!(Escrow::locked(7), Some((ENT, 1_000)));
		assert_eq!(
			Escrow::escrow(7),
			Some(EscrowInfo {
				payer: ALICE,
				payee: BOB,
				currency: ENT,
				amount: 1_000,
				locked: 1_000,
				refunded: 0,
				released_gross: 0,
				released_net: 0,
				fees: 0,
			})
		);
		assert_eq!(
			escrow_events(),
			vec![Event::Locked {
				order_id: 7,
				payer: ALICE,
				payee: BOB,
				currency: ENT,
				amount: 1_000
			}]
		);
	});
}

#[test]
fn lock_holds_asset_funds_through_the_assets_holder() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, USDX, 5_000));
		assert_eq!(free(USDX, ALICE), 995_000);
		assert_eq!(held(USDX, ALICE), 5_000);
		assert_eq!(Escrow::total_locked(USDX), 5_000);
		assert_eq!(
			escrow_events(),
			vec![Event::Locked {
				order_id: 1,
				payer: ALICE,
				payee: BOB,
				currency: USDX,
				amount: 5_000
			}]
		);
	});
}

#[test]
fn lock_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(Escrow::lock(1, &ALICE, &BOB, ENT, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::lock(1, &ALICE, &ALICE, ENT, 100), Error::<Test>::PayerIsPayee);
		assert_noop!(Escrow::lock(1, &ALICE, &BOB, USDX, 9), Error::<Test>::BelowMinimum);
		assert_noop!(
			Escrow::lock(1, &ALICE, &BOB, entrepot_primitives::CurrencyId::WithId(77), 100),
			Error::<Test>::PayeeCannotReceive
		);
		assert_noop!(Escrow::lock(1, &BOB, &ALICE, ENT, 5_000), Error::<Test>::InsufficientBalance);
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, ENT, 100));
		assert_noop!(Escrow::lock(1, &ALICE, &BOB, ENT, 100), Error::<Test>::AlreadyLocked);
	});
}

#[test]
fn refund_returns_funds_without_fee_and_closes_when_empty() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, USDX, 1_000));
		assert_ok!(Escrow::refund(1, 300));
		assert_eq!(free(USDX, ALICE), 999_300);
		assert_eq!(held(USDX, ALICE), 700);
		assert_eq!(Escrow::locked(1), Some((USDX, 700)));
		assert_ok!(Escrow::refund(1, 700));
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!(held(USDX, ALICE), 0);
		assert_eq!(Escrow::locked(1), None);
		assert!(!TotalLocked::<Test>::contains_key(USDX));
		assert_eq!(
			escrow_events()[1..],
			[
				Event::Refunded { order_id: 1, payer: ALICE, currency: USDX, amount: 300 },
				Event::Refunded { order_id: 1, payer: ALICE, currency: USDX, amount: 700 },
				Event::Closed {
					order_id: 1,
					payer: ALICE,
					payee: BOB,
					currency: USDX,
					amount: 1_000,
					refunded: 1_000,
					released_gross: 0,
					fees: 0
				},
			]
		);
	});
}

#[test]
fn refund_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(Escrow::refund(1, 10), Error::<Test>::NoEscrow);
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, ENT, 100));
		assert_noop!(Escrow::refund(1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::refund(1, 101), Error::<Test>::ExceedsLocked);
	});
}

#[test]
fn release_pays_payee_minus_fee_in_native() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, ENT, 1_000));
		assert_eq!(Escrow::release(1, 1_000), Ok(Payout { gross: 1_000, fee: 10, net: 990 }));
		assert_eq!(free(ENT, ALICE), 999_000);
		assert_eq!(held(ENT, ALICE), 0);
		assert_eq!(free(ENT, BOB), 1_000 + 990);
		assert_eq!(free(ENT, FEE), ED + 10);
		assert_eq!(
			escrow_events()[1..],
			[
				Event::Released {
					order_id: 1,
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					gross: 1_000,
					fee: 10,
					net: 990
				},
				Event::Closed {
					order_id: 1,
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					amount: 1_000,
					refunded: 0,
					released_gross: 1_000,
					fees: 10
				},
			]
		);
	});
}

#[test]
fn release_pays_payee_minus_fee_in_an_asset_and_keeps_the_books() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, USDX, 10_000));
		assert_ok!(Escrow::refund(1, 1_000));
		assert_eq!(Escrow::release(1, 6_000), Ok(Payout { gross: 6_000, fee: 60, net: 5_940 }));
		assert_eq!(free(USDX, BOB), 5_940);
		assert_eq!(free(USDX, FEE), 10 + 60);
		assert_eq!(free(USDX, ALICE), 991_000);
		assert_eq!(held(USDX, ALICE), 3_000);
		let e = Escrows::<Test>::get(1).expect("open");
		assert_eq!(
			(e.locked, e.refunded, e.released_gross, e.released_net, e.fees),
			(3_000, 1_000, 6_000, 5_940, 60)
		);
		assert_eq!(
			escrow_events().last(),
			Some(&Event::Released {
				order_id: 1,
				payer: ALICE,
				payee: BOB,
				currency: USDX,
				gross: 6_000,
				fee: 60,
				net: 5_940
			})
		);
	});
}

#[test]
fn fee_rounds_down_in_the_payees_favour() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, ENT, 199));
		// 1% of 199 is 1.99: the fee is 1, the payee gets 198; 198 + 1 == 199.
		assert_eq!(Escrow::release(1, 199), Ok(Payout { gross: 199, fee: 1, net: 198 }));
		assert_eq!(free(ENT, FEE), ED + 1);
		assert_eq!(free(ENT, BOB), 1_000 + 198);
	});
}

#[test]
fn fee_is_zero_when_the_fee_account_cannot_receive_it() {
	build_and_execute(|| {
		// The fee account holds no XYZ and 1% of 1_000 is below XYZ's minimum balance of 100.
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, XYZX, 1_000));
		assert_eq!(Escrow::release(1, 1_000), Ok(Payout { gross: 1_000, fee: 0, net: 1_000 }));
		assert_eq!(free(XYZX, BOB), 1_000);
		assert_eq!(free(XYZX, FEE), 0);
	});
}

#[test]
fn release_fails_on_invalid_requests_and_moves_nothing() {
	build_and_execute(|| {
		assert_noop!(Escrow::release(1, 10), Error::<Test>::NoEscrow);
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, USDX, 1_000));
		assert_noop!(Escrow::release(1, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::release(1, 1_001), Error::<Test>::ExceedsLocked);
		// BOB holds no USD: 5 is below the minimum balance, the payout fails as a whole.
		assert_noop!(Escrow::release(1, 5), Error::<Test>::PayeeCannotReceive);
	});
}

#[test]
fn pay_direct_pays_payee_at_once_minus_fee() {
	build_and_execute(|| {
		assert_eq!(
			Escrow::pay_direct(3, &ALICE, &BOB, USDX, 2_000),
			Ok(Payout { gross: 2_000, fee: 20, net: 1_980 })
		);
		assert_eq!(free(USDX, ALICE), 998_000);
		assert_eq!(free(USDX, BOB), 1_980);
		assert_eq!(free(USDX, FEE), 30);
		assert!(Escrows::<Test>::get(3).is_none());
		assert_eq!(
			escrow_events(),
			vec![Event::DirectPaid {
				order_id: 3,
				payer: ALICE,
				payee: BOB,
				currency: USDX,
				gross: 2_000,
				fee: 20,
				net: 1_980
			}]
		);
	});
}

#[test]
fn pay_direct_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(Escrow::pay_direct(1, &ALICE, &BOB, ENT, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::pay_direct(1, &ALICE, &ALICE, ENT, 10), Error::<Test>::PayerIsPayee);
		// BOB would fall below the existential deposit.
		assert_noop!(
			Escrow::pay_direct(1, &BOB, &ALICE, ENT, 995),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Escrow::pay_direct(1, &ALICE, &BOB, USDX, 5),
			Error::<Test>::PayeeCannotReceive
		);
	});
}

#[test]
fn set_platform_fee_is_admin_only_and_bounded() {
	build_and_execute(|| {
		assert_noop!(
			Escrow::set_platform_fee(RuntimeOrigin::signed(ALICE), Permill::from_percent(2)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Escrow::set_platform_fee(RuntimeOrigin::root(), Permill::from_percent(11)),
			Error::<Test>::FeeAboveMaximum
		);
		assert_ok!(Escrow::set_platform_fee(RuntimeOrigin::root(), Permill::from_percent(2)));
		assert_eq!(PlatformFee::<Test>::get(), Permill::from_percent(2));
		assert_eq!(escrow_events(), vec![Event::PlatformFeeSet { fee: Permill::from_percent(2) }]);
	});
}

#[test]
fn escrow_never_mints_or_burns() {
	build_and_execute(|| {
		let (ent, usd) = (issuance(ENT), issuance(USDX));
		assert_ok!(Escrow::lock(1, &ALICE, &BOB, ENT, 5_000));
		assert_ok!(Escrow::lock(2, &ALICE, &CHARLIE, USDX, 5_000));
		assert_ok!(Escrow::lock(3, &ALICE, &BOB, USDX, 700));
		assert_ok!(Escrow::refund(1, 1_234));
		assert_ok!(Escrow::release(1, 3_000));
		assert_ok!(Escrow::release(2, 4_999));
		assert_ok!(Escrow::pay_direct(4, &ALICE, &BOB, USDX, 1_000));
		Escrow::do_try_state().expect("invariants hold with several open escrows");
		assert_eq!((issuance(ENT), issuance(USDX)), (ent, usd));
		assert_eq!(TotalLocked::<Test>::get(USDX), 1 + 700);
	});
}

#[test]
fn locking_must_leave_the_minimum_balance_free() {
	build_and_execute(|| {
		// ALICE must keep USD's minimum balance free next to a hold.
		assert_noop!(
			Escrow::lock(1, &ALICE, &BOB, USDX, 1_000_000),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn compensate_pays_from_the_fee_account_and_keeps_it_alive() {
	build_and_execute(|| {
		// The fee account earns 10 ENT of fees, then compensates CHARLIE 7 of them.
		assert_ok!(Escrow::lock(7, &ALICE, &BOB, ENT, 1_000));
		assert_eq!(Escrow::release(7, 1_000).map(|p| p.fee), Ok(10));
		assert_eq!(free(ENT, FEE), ED + 10);
		let total = issuance(ENT);
		assert_ok!(Escrow::compensate(7, &CHARLIE, ENT, 7));
		assert_eq!(free(ENT, FEE), ED + 3);
		assert_eq!(free(ENT, CHARLIE), 1_007);
		assert_eq!(issuance(ENT), total);
		System::assert_last_event(RuntimeEvent::Escrow(Event::Compensated {
			order_id: 7,
			who: CHARLIE,
			currency: ENT,
			amount: 7,
		}));
	});
}

#[test]
fn compensate_fails_beyond_what_the_fee_account_can_spare() {
	build_and_execute(|| {
		assert_noop!(Escrow::compensate(7, &CHARLIE, ENT, 0), Error::<Test>::ZeroAmount);
		// The fee account holds only its existential deposit.
		assert_noop!(Escrow::compensate(7, &CHARLIE, ENT, 1), Error::<Test>::FeeAccountShort);
		// It holds no XYZ at all.
		assert_noop!(Escrow::compensate(7, &CHARLIE, XYZX, 100), Error::<Test>::FeeAccountShort);
	});
}
