//! Unit tests of the escrow pallet, named after the behaviour they show. Every test ends with
//! the pallet's `try_state` (see [`build_and_execute`]).

use crate::{mock::*, Error, Escrows, Event, HoldReason, PlatformFee};
use entrepot_primitives::{legacy_reference as reference, Escrow as _, EscrowInfo, Payout};
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

/// ALICE sends `amount` of `currency` to the escrow account.
fn fund_vault(currency: entrepot_primitives::CurrencyId, amount: Balance) {
	use frame_support::traits::{fungibles::Mutate, tokens::Preservation};
	assert_ok!(<Currencies as Mutate<_>>::transfer(
		currency,
		&ALICE,
		&vault(),
		amount,
		Preservation::Preserve
	));
}

#[test]
fn lock_moves_funds_to_the_escrow_account_and_holds_them_there() {
	build_and_execute(|| {
		// Native: the funds leave ALICE and are held on the escrow account.
		assert_ok!(Escrow::lock(7, reference(7), &ALICE, &BOB, ENT, 1_000));
		assert_eq!(free(ENT, ALICE), 999_000);
		assert_eq!(held(ENT, ALICE), 0);
		assert_eq!((free(ENT, vault()), held(ENT, vault())), (ED, 1_000));
		assert_eq!(Escrow::total_locked(ENT), 1_000);
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

		// An asset, through the assets holder: the same.
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 5_000));
		assert_eq!(free(USDX, ALICE), 995_000);
		assert_eq!(held(USDX, ALICE), 0);
		assert_eq!((free(USDX, vault()), held(USDX, vault())), (10, 5_000));
		assert_eq!(Escrow::total_locked(USDX), 5_000);
		// A second order adds to the same hold, and each order keeps its own books.
		assert_ok!(Escrow::lock(2, reference(2), &CHARLIE, &BOB, ENT, 300));
		assert_eq!((free(ENT, CHARLIE), held(ENT, vault())), (700, 1_300));
		assert_eq!(Escrow::locked(7), Some((ENT, 1_000)));
		assert_eq!(Escrow::locked(2), Some((ENT, 300)));
		assert_eq!(Escrow::total_locked(ENT), 1_300);
		assert_eq!(
			escrow_events(),
			vec![
				Event::Locked {
					order_id: 7,
					reference: reference(7),
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					amount: 1_000
				},
				Event::Locked {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					payee: BOB,
					currency: USDX,
					amount: 5_000
				},
				Event::Locked {
					order_id: 2,
					reference: reference(2),
					payer: CHARLIE,
					payee: BOB,
					currency: ENT,
					amount: 300
				},
			]
		);
	});
}

#[test]
fn escrowed_funds_leave_the_payers_total_balance() {
	build_and_execute(|| {
		use frame_support::traits::fungible::Inspect as _;
		// What the payer can vote or stake with is its total balance (free and held): escrowed
		// money must not count in it any more.
		let (alice, escrow) = (Balances::total_balance(&ALICE), Balances::total_balance(&vault()));
		let alice_usd = <Currencies as Inspect<_>>::total_balance(USDX, &ALICE);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 4_000));
		assert_ok!(Escrow::lock(2, reference(2), &ALICE, &BOB, USDX, 3_000));
		assert_eq!(Balances::total_balance(&ALICE), alice - 4_000);
		assert_eq!(Balances::total_balance(&vault()), escrow + 4_000);
		assert_eq!(<Currencies as Inspect<_>>::total_balance(USDX, &ALICE), alice_usd - 3_000);
		// A refund gives it back.
		assert_ok!(Escrow::refund(1, reference(1), 4_000));
		assert_eq!(Balances::total_balance(&ALICE), alice);
		assert_eq!(Balances::total_balance(&vault()), escrow);
		assert_eq!(
			escrow_events().last(),
			Some(&Event::Closed {
				order_id: 1,
				reference: reference(1),
				payer: ALICE,
				payee: BOB,
				currency: ENT,
				amount: 4_000,
				refunded: 4_000,
				released_gross: 0,
				fees: 0
			})
		);
	});
}

#[test]
fn frozen_funds_cannot_be_escrowed() {
	build_and_execute(|| {
		use frame_support::traits::{LockableCurrency, WithdrawReasons};
		// A vote lock over all of ALICE's ENT: nothing of it can be escrowed, nothing moves.
		<Balances as LockableCurrency<_>>::set_lock(
			*b"vote    ",
			&ALICE,
			1_000_000,
			WithdrawReasons::all(),
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 1_000),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, ED),
			Error::<Test>::InsufficientBalance
		);

		// A lock over part of the balance: the unfrozen rest can be escrowed, not a unit more.
		<Balances as LockableCurrency<_>>::set_lock(
			*b"vote    ",
			&ALICE,
			999_000,
			WithdrawReasons::all(),
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 1_001),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 1_000));
		assert_eq!(free(ENT, ALICE), 999_000);
		assert_eq!(held(ENT, vault()), 1_000);
		assert_eq!(
			escrow_events(),
			vec![Event::Locked {
				order_id: 1,
				reference: reference(1),
				payer: ALICE,
				payee: BOB,
				currency: ENT,
				amount: 1_000
			}]
		);

		// A frozen asset account: none of it can be escrowed.
		assert_ok!(Assets::freeze(RuntimeOrigin::signed(ALICE), USD, ALICE));
		assert_noop!(
			Escrow::lock(2, reference(2), &ALICE, &BOB, USDX, 1_000),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ALICE), USD, ALICE));
		assert_ok!(Escrow::lock(2, reference(2), &ALICE, &BOB, USDX, 1_000));
		assert_eq!(held(USDX, vault()), 1_000);
	});
}

#[test]
fn a_currency_the_escrow_account_does_not_hold_cannot_be_escrowed() {
	build_and_execute(|| {
		// The escrow account holds no XYZ: without its minimum balance free beside a hold, the
		// first payout could reap it.
		assert_eq!(free(XYZX, vault()), 0);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, XYZX, 1_000),
			Error::<Test>::EscrowAccountNotFunded
		);
		// Anyone may fund it with the minimum balance; then the currency can be escrowed.
		fund_vault(XYZX, 100);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, XYZX, 1_000));
		assert_eq!((free(XYZX, vault()), held(XYZX, vault())), (100, 1_000));
		assert_eq!(
			escrow_events(),
			vec![Event::Locked {
				order_id: 1,
				reference: reference(1),
				payer: ALICE,
				payee: BOB,
				currency: XYZX,
				amount: 1_000
			}]
		);
	});
}

#[test]
fn lock_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &ALICE, ENT, 100),
			Error::<Test>::PayerIsPayee
		);
		// The escrow account pays into no escrow.
		assert_noop!(
			Escrow::lock(1, reference(1), &vault(), &BOB, ENT, 5),
			Error::<Test>::PayerIsPayee
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 9),
			Error::<Test>::BelowMinimum
		);
		assert_noop!(
			Escrow::lock(
				1,
				reference(1),
				&ALICE,
				&BOB,
				entrepot_primitives::CurrencyId::WithId(77),
				100
			),
			Error::<Test>::PayeeCannotReceive
		);
		assert_noop!(
			Escrow::lock(1, reference(1), &BOB, &ALICE, ENT, 5_000),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 100));
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 100),
			Error::<Test>::AlreadyLocked
		);
	});
}

#[test]
fn refund_returns_funds_without_fee_and_closes_when_empty() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 1_000));
		assert_ok!(Escrow::refund(1, reference(1), 300));
		assert_eq!(free(USDX, ALICE), 999_300);
		assert_eq!(held(USDX, vault()), 700);
		assert_eq!(Escrow::locked(1), Some((USDX, 700)));
		assert_ok!(Escrow::refund(1, reference(1), 700));
		assert_eq!(free(USDX, ALICE), 1_000_000);
		assert_eq!((free(USDX, vault()), held(USDX, vault())), (10, 0));
		assert_eq!(Escrow::locked(1), None);
		assert_eq!(Escrow::total_locked(USDX), 0);
		assert_eq!(
			escrow_events()[1..],
			[
				Event::Refunded {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					currency: USDX,
					amount: 300
				},
				Event::Refunded {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					currency: USDX,
					amount: 700
				},
				Event::Closed {
					order_id: 1,
					reference: reference(1),
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
		assert_noop!(Escrow::refund(1, reference(1), 10), Error::<Test>::NoEscrow);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 100));
		assert_noop!(Escrow::refund(1, reference(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::refund(1, reference(1), 101), Error::<Test>::ExceedsLocked);
	});
}

#[test]
fn release_pays_payee_minus_fee_in_native() {
	build_and_execute(|| {
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 1_000));
		assert_eq!(
			Escrow::release(1, reference(1), 1_000),
			Ok(Payout { gross: 1_000, fee: 10, net: 990 })
		);
		assert_eq!(free(ENT, ALICE), 999_000);
		assert_eq!((free(ENT, vault()), held(ENT, vault())), (ED, 0));
		assert_eq!(free(ENT, BOB), 1_000 + 990);
		assert_eq!(free(ENT, FEE), ED + 10);
		assert_eq!(
			escrow_events()[1..],
			[
				Event::Released {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					gross: 1_000,
					fee: 10,
					net: 990
				},
				Event::Closed {
					order_id: 1,
					reference: reference(1),
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
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 10_000));
		assert_ok!(Escrow::refund(1, reference(1), 1_000));
		assert_eq!(
			Escrow::release(1, reference(1), 6_000),
			Ok(Payout { gross: 6_000, fee: 60, net: 5_940 })
		);
		assert_eq!(free(USDX, BOB), 5_940);
		assert_eq!(free(USDX, FEE), 10 + 60);
		assert_eq!(free(USDX, ALICE), 991_000);
		assert_eq!(held(USDX, vault()), 3_000);
		let e = Escrows::<Test>::get(1).expect("open");
		assert_eq!(
			(e.locked, e.refunded, e.released_gross, e.released_net, e.fees),
			(3_000, 1_000, 6_000, 5_940, 60)
		);
		assert_eq!(
			escrow_events().last(),
			Some(&Event::Released {
				order_id: 1,
				reference: reference(1),
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
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 199));
		// 1% of 199 is 1.99: the fee is 1, the payee gets 198; 198 + 1 == 199.
		assert_eq!(
			Escrow::release(1, reference(1), 199),
			Ok(Payout { gross: 199, fee: 1, net: 198 })
		);
		assert_eq!(free(ENT, FEE), ED + 1);
		assert_eq!(free(ENT, BOB), 1_000 + 198);
	});
}

#[test]
fn fee_is_zero_when_the_fee_account_cannot_receive_it() {
	build_and_execute(|| {
		// The fee account holds no XYZ and 1% of 1_000 is below XYZ's minimum balance of 100.
		fund_vault(XYZX, 100);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, XYZX, 1_000));
		assert_eq!(
			Escrow::release(1, reference(1), 1_000),
			Ok(Payout { gross: 1_000, fee: 0, net: 1_000 })
		);
		assert_eq!(free(XYZX, BOB), 1_000);
		assert_eq!(free(XYZX, FEE), 0);
	});
}

#[test]
fn release_fails_on_invalid_requests_and_moves_nothing() {
	build_and_execute(|| {
		assert_noop!(Escrow::release(1, reference(1), 10), Error::<Test>::NoEscrow);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 1_000));
		assert_noop!(Escrow::release(1, reference(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::release(1, reference(1), 1_001), Error::<Test>::ExceedsLocked);
		// BOB holds no USD: 5 is below the minimum balance, the payout fails as a whole.
		assert_noop!(Escrow::release(1, reference(1), 5), Error::<Test>::PayeeCannotReceive);
	});
}

#[test]
fn refund_fails_as_a_whole_when_the_payer_cannot_receive_it() {
	build_and_execute(|| {
		// CHARLIE pays 500 XYZ, then spends the rest of its XYZ: its account of XYZ dies.
		fund_vault(XYZX, 100);
		assert_ok!(<Currencies as frame_support::traits::fungibles::Mutate<_>>::transfer(
			XYZX,
			&ALICE,
			&CHARLIE,
			600,
			frame_support::traits::tokens::Preservation::Preserve
		));
		assert_ok!(Escrow::lock(1, reference(1), &CHARLIE, &BOB, XYZX, 500));
		assert_ok!(<Currencies as frame_support::traits::fungibles::Mutate<_>>::transfer(
			XYZX,
			&CHARLIE,
			&ALICE,
			100,
			frame_support::traits::tokens::Preservation::Expendable
		));
		assert_eq!(free(XYZX, CHARLIE), 0);
		// 50 is below XYZ's minimum balance of 100: nothing moves, the funds stay locked.
		assert_noop!(Escrow::refund(1, reference(1), 50), Error::<Test>::PayeeCannotReceive);
		assert_ok!(Escrow::refund(1, reference(1), 100));
		assert_eq!((free(XYZX, CHARLIE), Escrow::locked(1)), (100, Some((XYZX, 400))));
		assert_eq!(
			escrow_events().last(),
			Some(&Event::Refunded {
				order_id: 1,
				reference: reference(1),
				payer: CHARLIE,
				currency: XYZX,
				amount: 100
			})
		);
	});
}

#[test]
fn forfeit_pays_the_fee_account_and_keeps_the_books() {
	build_and_execute(|| {
		let usd = issuance(USDX);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 1_000));
		assert_eq!(
			Escrow::release(1, reference(1), 990),
			Ok(Payout { gross: 990, fee: 9, net: 981 })
		);
		// 10 left, USD's minimum balance: dust is less than that.
		assert_ok!(Escrow::forfeit(1, reference(1), 4));
		assert_eq!(free(USDX, FEE), 10 + 9 + 4);
		assert_eq!(free(USDX, BOB), 981);
		assert_eq!(held(USDX, vault()), 6);
		assert_eq!(Escrow::total_locked(USDX), 6);
		// Paid out as a fee: released (gross) and fees grow, the net paid does not.
		let e = Escrows::<Test>::get(1).expect("open");
		assert_eq!(
			(e.locked, e.refunded, e.released_gross, e.released_net, e.fees),
			(6, 0, 994, 981, 13)
		);
		assert_eq!(
			escrow_events().last(),
			Some(&Event::Forfeited {
				order_id: 1,
				reference: reference(1),
				payer: ALICE,
				currency: USDX,
				amount: 4
			})
		);
		// Forfeiting the rest closes the escrow with balanced books.
		assert_ok!(Escrow::forfeit(1, reference(1), 6));
		assert_eq!(free(USDX, FEE), 10 + 9 + 10);
		assert_eq!((free(USDX, vault()), held(USDX, vault())), (10, 0));
		assert_eq!(Escrow::total_locked(USDX), 0);
		assert_eq!(issuance(USDX), usd);
		assert_eq!(
			escrow_events()[3..],
			[
				Event::Forfeited {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					currency: USDX,
					amount: 6
				},
				Event::Closed {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					payee: BOB,
					currency: USDX,
					amount: 1_000,
					refunded: 0,
					released_gross: 1_000,
					fees: 19
				},
			]
		);
	});
}

#[test]
fn forfeit_fails_on_invalid_requests_and_moves_nothing() {
	build_and_execute(|| {
		assert_noop!(Escrow::forfeit(1, reference(1), 5), Error::<Test>::NoEscrow);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 100));
		assert_noop!(Escrow::forfeit(1, reference(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Escrow::forfeit(1, reference(1), 101), Error::<Test>::ExceedsLocked);
		// Only dust: ENT's existential deposit (10) or more waits until it can be delivered.
		assert_noop!(Escrow::forfeit(1, reference(1), ED), Error::<Test>::NotDust);
		assert_noop!(Escrow::forfeit(1, reference(1), 100), Error::<Test>::NotDust);
		// The fee account holds no XYZ: 50 is below XYZ's minimum balance of 100.
		fund_vault(XYZX, 100);
		assert_ok!(Escrow::lock(2, reference(2), &ALICE, &BOB, XYZX, 500));
		assert_noop!(Escrow::forfeit(2, reference(2), 50), Error::<Test>::PayeeCannotReceive);
	});
}

#[test]
fn no_payout_moves_money_a_freeze_covers() {
	build_and_execute(|| {
		use frame_support::traits::{LockableCurrency, WithdrawReasons};
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 1_000));
		assert_ok!(Escrow::lock(2, reference(2), &ALICE, &BOB, USDX, 1_000));
		// ALICE then freezes everything she has: a vote lock on all her ENT, her USD account
		// frozen.
		<Balances as LockableCurrency<_>>::set_lock(
			*b"vote    ",
			&ALICE,
			Balance::MAX,
			WithdrawReasons::all(),
		);
		assert_ok!(Assets::freeze(RuntimeOrigin::signed(ALICE), USD, ALICE));
		// The escrowed money is no longer hers: the payee is paid, politely, and nothing
		// frozen on ALICE moves.
		assert_eq!(
			Escrow::release(1, reference(1), 900),
			Ok(Payout { gross: 900, fee: 9, net: 891 })
		);
		assert_eq!(
			Escrow::release(2, reference(2), 1_000),
			Ok(Payout { gross: 1_000, fee: 10, net: 990 })
		);
		assert_eq!(free(ENT, BOB), 1_000 + 891);
		assert_eq!(free(USDX, BOB), 990);
		assert_eq!((free(ENT, ALICE), free(USDX, ALICE)), (999_000, 999_000));
		// A refund still reaches her (a freeze never stops receiving).
		assert_ok!(Escrow::refund(1, reference(1), 100));
		assert_eq!(free(ENT, ALICE), 999_100);
		assert_eq!(
			escrow_events()[2..],
			[
				Event::Released {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					gross: 900,
					fee: 9,
					net: 891
				},
				Event::Released {
					order_id: 2,
					reference: reference(2),
					payer: ALICE,
					payee: BOB,
					currency: USDX,
					gross: 1_000,
					fee: 10,
					net: 990
				},
				Event::Closed {
					order_id: 2,
					reference: reference(2),
					payer: ALICE,
					payee: BOB,
					currency: USDX,
					amount: 1_000,
					refunded: 0,
					released_gross: 1_000,
					fees: 10
				},
				Event::Refunded {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					currency: ENT,
					amount: 100
				},
				Event::Closed {
					order_id: 1,
					reference: reference(1),
					payer: ALICE,
					payee: BOB,
					currency: ENT,
					amount: 1_000,
					refunded: 100,
					released_gross: 900,
					fees: 9
				},
			]
		);
	});
}

#[test]
fn pay_direct_pays_payee_at_once_minus_fee() {
	build_and_execute(|| {
		assert_eq!(
			Escrow::pay_direct(3, reference(3), &ALICE, &BOB, USDX, 2_000),
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
				reference: reference(3),
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
		assert_noop!(
			Escrow::pay_direct(1, reference(1), &ALICE, &BOB, ENT, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Escrow::pay_direct(1, reference(1), &ALICE, &ALICE, ENT, 10),
			Error::<Test>::PayerIsPayee
		);
		// BOB would fall below the existential deposit.
		assert_noop!(
			Escrow::pay_direct(1, reference(1), &BOB, &ALICE, ENT, 995),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Escrow::pay_direct(1, reference(1), &ALICE, &BOB, USDX, 5),
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
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, ENT, 5_000));
		assert_ok!(Escrow::lock(2, reference(2), &ALICE, &CHARLIE, USDX, 5_000));
		assert_ok!(Escrow::lock(3, reference(3), &ALICE, &BOB, USDX, 700));
		assert_ok!(Escrow::refund(1, reference(1), 1_234));
		assert_ok!(Escrow::release(1, reference(1), 3_000));
		assert_ok!(Escrow::release(2, reference(2), 4_999));
		assert_ok!(Escrow::pay_direct(4, reference(4), &ALICE, &BOB, USDX, 1_000));
		assert_ok!(Escrow::forfeit(3, reference(3), 5));
		Escrow::do_try_state().expect("invariants hold with several open escrows");
		assert_eq!((issuance(ENT), issuance(USDX)), (ent, usd));
		assert_eq!(Escrow::total_locked(USDX), 1 + 695);
		assert_eq!(held(ENT, vault()), 5_000 - 1_234 - 3_000);
		assert_eq!(held(USDX, vault()), 1 + 695);
	});
}

#[test]
fn locking_must_leave_the_payer_its_minimum_balance() {
	build_and_execute(|| {
		// ALICE must keep USD's minimum balance: all but 10 can be escrowed, not all.
		assert_noop!(
			Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 1_000_000),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Escrow::lock(1, reference(1), &ALICE, &BOB, USDX, 999_990));
		assert_eq!((free(USDX, ALICE), held(USDX, vault())), (10, 999_990));
		assert_eq!(
			escrow_events(),
			vec![Event::Locked {
				order_id: 1,
				reference: reference(1),
				payer: ALICE,
				payee: BOB,
				currency: USDX,
				amount: 999_990
			}]
		);
	});
}

#[test]
fn compensate_pays_from_the_fee_account_and_keeps_it_alive() {
	build_and_execute(|| {
		// The fee account earns 10 ENT of fees, then compensates CHARLIE 7 of them.
		assert_ok!(Escrow::lock(7, reference(7), &ALICE, &BOB, ENT, 1_000));
		assert_eq!(Escrow::release(7, reference(7), 1_000).map(|p| p.fee), Ok(10));
		assert_eq!(free(ENT, FEE), ED + 10);
		let total = issuance(ENT);
		assert_ok!(Escrow::compensate(7, reference(7), &CHARLIE, ENT, 7));
		assert_eq!(free(ENT, FEE), ED + 3);
		assert_eq!(free(ENT, CHARLIE), 1_007);
		assert_eq!(issuance(ENT), total);
		System::assert_last_event(RuntimeEvent::Escrow(Event::Compensated {
			order_id: 7,
			reference: reference(7),
			who: CHARLIE,
			currency: ENT,
			amount: 7,
		}));
	});
}

#[test]
fn compensate_fails_beyond_what_the_fee_account_can_spare() {
	build_and_execute(|| {
		assert_noop!(
			Escrow::compensate(7, reference(7), &CHARLIE, ENT, 0),
			Error::<Test>::ZeroAmount
		);
		// The fee account holds only its existential deposit.
		assert_noop!(
			Escrow::compensate(7, reference(7), &CHARLIE, ENT, 1),
			Error::<Test>::FeeAccountShort
		);
		// It holds no XYZ at all.
		assert_noop!(
			Escrow::compensate(7, reference(7), &CHARLIE, XYZX, 100),
			Error::<Test>::FeeAccountShort
		);
	});
}
