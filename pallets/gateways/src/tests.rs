//! Tests of the gateways pallet: governance appoints and limits gateways; a gateway mints only
//! while active, within its limits and its attested reserves, never twice for one reference;
//! withdrawals follow their status machine, and only their own gateway and account move them.
//! Every test ends with the pallet's `try_state`.

use crate::{
	mock::*, Balance, Destinations, Error, Event, GatewayInfoOf, GatewayStatus, Limits,
	NextWithdrawalId, Params, Reason, WithdrawalId, WithdrawalStatus,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungibles::{Inspect, Mutate},
};
use sp_core::H256;
use sp_runtime::DispatchError;

mod property;

fn usd(who: AccountId) -> Balance {
	Assets::balance(USD, who)
}

fn supply() -> Balance {
	Assets::total_issuance(USD)
}

fn info(gateway: AccountId) -> GatewayInfoOf<Test> {
	Gateways::gateways()
		.into_iter()
		.find(|(g, _)| *g == gateway)
		.expect("a gateway")
		.1
}

fn attest(gateway: AccountId, amount: Balance) {
	assert_ok!(Gateways::attest_reserves(
		RuntimeOrigin::signed(gateway),
		amount,
		H256::repeat_byte(7)
	));
}

fn reference(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// BANK attests enough reserves and registers IBAN for `who`.
fn ready(who: AccountId) {
	attest(BANK, 4_000);
	assert_ok!(Gateways::register_destination(RuntimeOrigin::signed(BANK), who, IBAN));
}

fn request(who: AccountId, amount: Balance) -> WithdrawalId {
	let id = NextWithdrawalId::<Test>::get();
	assert_ok!(Gateways::request_withdrawal(RuntimeOrigin::signed(who), BANK, amount, IBAN));
	id
}

fn reason() -> Reason {
	b"account closed".to_vec().try_into().expect("short")
}

// --- genesis and governance ---

#[test]
fn genesis_attributes_each_stablecoins_supply_to_its_gateway() {
	test(|| {
		assert_eq!(info(BANK).asset, USD);
		assert_eq!(info(BANK).outstanding, GENESIS_BALANCE);
		assert_eq!(info(BANK).attestation.map(|a| a.amount), Some(GENESIS_BALANCE));
		assert_eq!(info(OTHER_BANK).outstanding, GENESIS_BALANCE);
		let reserves = Gateways::reserves();
		assert_eq!(reserves.len(), 2);
		for r in reserves {
			assert_eq!(r.supply, GENESIS_BALANCE);
			assert_eq!(r.outstanding, r.supply);
			assert_eq!(r.attested, GENESIS_BALANCE);
			assert_eq!(r.last_attested, Some(0));
		}
	});
}

#[test]
fn governance_appoints_a_gateway_that_mints_once_it_attests() {
	test(|| {
		let bank = 20;
		assert_ok!(Gateways::appoint_gateway(RuntimeOrigin::root(), bank, USD, LIMITS));
		System::assert_last_event(
			Event::GatewayAppointed { gateway: bank, asset: USD, limits: LIMITS }.into(),
		);
		assert_eq!(info(bank).outstanding, 0);
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(bank), BOB, 100, reference(1)),
			Error::<Test>::ReservesStale
		);
		attest(bank, 100);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(bank), BOB, 100, reference(1)));
		assert_eq!(usd(BOB), 100);
		assert_eq!(Gateways::reserves()[0].outstanding, supply());
	});
}

#[test]
fn appointing_is_for_governance_and_stablecoins_only() {
	test(|| {
		assert_noop!(
			Gateways::appoint_gateway(RuntimeOrigin::signed(ALICE), ALICE, USD, LIMITS),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Gateways::appoint_gateway(RuntimeOrigin::root(), BANK, EUR, LIMITS),
			Error::<Test>::AlreadyAGateway
		);
		assert_noop!(
			Gateways::appoint_gateway(RuntimeOrigin::root(), 20, ALICE_TOKEN, LIMITS),
			Error::<Test>::NotAStablecoin
		);
		assert_ok!(Gateways::appoint_gateway(RuntimeOrigin::root(), 20, USD, LIMITS));
		assert_ok!(Gateways::appoint_gateway(RuntimeOrigin::root(), 21, USD, LIMITS));
		assert_noop!(
			Gateways::appoint_gateway(RuntimeOrigin::root(), 22, USD, LIMITS),
			Error::<Test>::TooManyGateways
		);
	});
}

#[test]
fn governance_sets_limits_suspends_resumes_and_sets_params() {
	test(|| {
		let limits = Limits { per_deposit: 1, per_day: 2, outstanding: 3 };
		assert_ok!(Gateways::set_gateway_limits(RuntimeOrigin::root(), BANK, limits));
		System::assert_last_event(Event::GatewayLimitsSet { gateway: BANK, limits }.into());
		assert_eq!(info(BANK).limits, limits);
		assert_ok!(Gateways::suspend_gateway(RuntimeOrigin::root(), BANK));
		System::assert_last_event(Event::GatewaySuspended { gateway: BANK }.into());
		assert_eq!(info(BANK).status, GatewayStatus::Suspended);
		assert_ok!(Gateways::resume_gateway(RuntimeOrigin::root(), BANK));
		System::assert_last_event(Event::GatewayResumed { gateway: BANK }.into());
		assert_eq!(info(BANK).status, GatewayStatus::Active);
		assert_noop!(
			Gateways::suspend_gateway(RuntimeOrigin::root(), ALICE),
			Error::<Test>::NotAGateway
		);
		assert_noop!(
			Gateways::set_gateway_limits(RuntimeOrigin::signed(BANK), BANK, LIMITS),
			DispatchError::BadOrigin
		);
		let params = Params { withdrawal_timeout: 5, max_attestation_age: 6 };
		assert_ok!(Gateways::set_params(RuntimeOrigin::root(), params));
		System::assert_last_event(Event::ParamsSet { params }.into());
		assert_eq!(Gateways::params(), params);
		assert_noop!(
			Gateways::set_params(
				RuntimeOrigin::root(),
				Params { withdrawal_timeout: 0, max_attestation_age: 6 }
			),
			Error::<Test>::InvalidParams
		);
	});
}

// --- deposits ---

#[test]
fn a_gateway_deposit_mints_to_the_beneficiary_with_its_reference() {
	test(|| {
		attest(BANK, 1_300);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 300, reference(1)));
		System::assert_last_event(
			Event::Deposited {
				gateway: BANK,
				asset: USD,
				beneficiary: BOB,
				amount: 300,
				reference: reference(1),
			}
			.into(),
		);
		assert_eq!(usd(BOB), 300);
		assert_eq!(supply(), 1_300);
		assert_eq!(info(BANK).outstanding, 1_300);
		assert_eq!(info(BANK).minted_in_window, 300);
		assert!(Gateways::reference_used(&BANK, reference(1)));
	});
}

#[test]
fn nobody_but_an_active_gateway_mints() {
	test(|| {
		attest(BANK, 4_000);
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(ALICE), ALICE, 100, reference(1)),
			Error::<Test>::NotAGateway
		);
		assert_ok!(Gateways::suspend_gateway(RuntimeOrigin::root(), BANK));
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 100, reference(1)),
			Error::<Test>::GatewaySuspended
		);
		// The issuer account's role cannot be used through pallet-assets by anyone who signs.
		assert_noop!(
			Assets::mint(RuntimeOrigin::signed(BANK), USD.into(), BOB, 100),
			pallet_assets::Error::<Test>::NoPermission
		);
		assert_eq!(supply(), GENESIS_BALANCE);
	});
}

#[test]
fn a_reference_is_used_once_per_gateway() {
	test(|| {
		attest(BANK, 4_000);
		attest(OTHER_BANK, 4_000);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 100, reference(1)));
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), ALICE, 50, reference(1)),
			Error::<Test>::DuplicateReference
		);
		// Another bank's records are its own.
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(OTHER_BANK), BOB, 100, reference(1)));
	});
}

#[test]
fn deposits_stay_within_every_limit() {
	test(|| {
		attest(BANK, 10_000);
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 0, reference(1)),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 501, reference(1)),
			Error::<Test>::AboveDepositLimit
		);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 500, reference(1)));
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 300, reference(2)));
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 1, reference(3)),
			Error::<Test>::AboveDailyLimit
		);
		// The next day window starts from nothing.
		go_to(DAY);
		attest(BANK, 10_000);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 500, reference(3)));
		assert_eq!(info(BANK).window_start, DAY);
		assert_eq!(info(BANK).minted_in_window, 500);
		assert_ok!(Gateways::set_gateway_limits(
			RuntimeOrigin::root(),
			BANK,
			Limits { outstanding: 2_400, ..LIMITS }
		));
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 200, reference(4)),
			Error::<Test>::AboveOutstandingLimit
		);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 100, reference(4)));
		assert_eq!(supply(), 2_400);
	});
}

#[test]
fn minting_stops_while_reserves_are_stale_or_short() {
	test(|| {
		// Genesis attestation equals the supply: nothing more can be minted.
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 100, reference(1)),
			Error::<Test>::ReservesBelowSupply
		);
		attest(BANK, 1_100);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 100, reference(1)));
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 10, reference(2)),
			Error::<Test>::ReservesBelowSupply
		);
		attest(BANK, 4_000);
		go_to(1 + MAX_AGE + 1);
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 10, reference(2)),
			Error::<Test>::ReservesStale
		);
		attest(BANK, 4_000);
		System::assert_last_event(
			Event::ReservesAttested {
				gateway: BANK,
				asset: USD,
				amount: 4_000,
				document: H256::repeat_byte(7),
			}
			.into(),
		);
		assert_ok!(Gateways::deposit(RuntimeOrigin::signed(BANK), BOB, 10, reference(2)));
		let usd_reserves = Gateways::reserves().into_iter().find(|r| r.asset == USD).unwrap();
		assert_eq!(usd_reserves.attested, 4_000);
		assert_eq!(usd_reserves.last_attested, Some(1 + MAX_AGE + 1));
		assert_noop!(
			Gateways::attest_reserves(RuntimeOrigin::signed(ALICE), 1, H256::zero()),
			Error::<Test>::NotAGateway
		);
	});
}

#[test]
fn a_deposit_the_beneficiary_cannot_receive_is_refused() {
	test(|| {
		attest(BANK, 4_000);
		// Below the minimum balance (10) of a new account.
		assert_noop!(
			Gateways::deposit(RuntimeOrigin::signed(BANK), 99, 5, reference(1)),
			Error::<Test>::CannotReceive
		);
	});
}

// --- destinations ---

#[test]
fn only_the_gateway_registers_destinations_and_either_side_removes_them() {
	test(|| {
		assert_noop!(
			Gateways::register_destination(RuntimeOrigin::signed(ALICE), ALICE, IBAN),
			Error::<Test>::NotAGateway
		);
		assert_ok!(Gateways::register_destination(RuntimeOrigin::signed(BANK), ALICE, IBAN));
		System::assert_last_event(
			Event::DestinationRegistered { gateway: BANK, who: ALICE, destination: IBAN }.into(),
		);
		assert_noop!(
			Gateways::register_destination(RuntimeOrigin::signed(BANK), ALICE, IBAN),
			Error::<Test>::DestinationAlreadyRegistered
		);
		assert_ok!(Gateways::register_destination(
			RuntimeOrigin::signed(BANK),
			ALICE,
			reference(2)
		));
		assert_noop!(
			Gateways::register_destination(RuntimeOrigin::signed(BANK), ALICE, reference(3)),
			Error::<Test>::TooManyDestinations
		);
		assert_noop!(
			Gateways::remove_destination(RuntimeOrigin::signed(BOB), BANK, ALICE, IBAN),
			DispatchError::BadOrigin
		);
		assert_ok!(Gateways::remove_destination(RuntimeOrigin::signed(ALICE), BANK, ALICE, IBAN));
		System::assert_last_event(
			Event::DestinationRemoved { gateway: BANK, who: ALICE, destination: IBAN }.into(),
		);
		assert_noop!(
			Gateways::remove_destination(RuntimeOrigin::signed(BANK), BANK, ALICE, IBAN),
			Error::<Test>::DestinationNotRegistered
		);
		assert_ok!(Gateways::remove_destination(
			RuntimeOrigin::signed(BANK),
			BANK,
			ALICE,
			reference(2)
		));
		assert!(!Destinations::<Test>::contains_key(BANK, ALICE));
		assert_ok!(Gateways::suspend_gateway(RuntimeOrigin::root(), BANK));
		assert_noop!(
			Gateways::register_destination(RuntimeOrigin::signed(BANK), ALICE, IBAN),
			Error::<Test>::GatewaySuspended
		);
	});
}

// --- withdrawals ---

#[test]
fn a_withdrawal_holds_the_coins_then_completes_and_burns_them() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 400);
		System::assert_last_event(
			Event::WithdrawalRequested {
				id,
				gateway: BANK,
				who: ALICE,
				asset: USD,
				amount: 400,
				destination: IBAN,
			}
			.into(),
		);
		assert_eq!(usd(ALICE), 600);
		assert_eq!(usd(Gateways::account_id()), 400);
		assert_eq!(supply(), GENESIS_BALANCE);
		assert_eq!(Gateways::withdrawals_of(&ALICE).len(), 1);

		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		System::assert_last_event(Event::WithdrawalProcessing { id, gateway: BANK }.into());
		assert_eq!(Gateways::withdrawal(id).unwrap().status, WithdrawalStatus::Processing);

		assert_ok!(Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)));
		System::assert_last_event(
			Event::WithdrawalCompleted {
				id,
				gateway: BANK,
				who: ALICE,
				asset: USD,
				amount: 400,
				payout: reference(5),
			}
			.into(),
		);
		assert_eq!(usd(ALICE), 600);
		assert_eq!(usd(Gateways::account_id()), 0);
		assert_eq!(supply(), 600);
		assert_eq!(info(BANK).outstanding, 600);
		assert!(Gateways::withdrawal(id).is_none());
		assert!(Gateways::withdrawals_of(&ALICE).is_empty());
	});
}

#[test]
fn the_status_machine_refuses_steps_out_of_order() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 100);
		assert_noop!(
			Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)),
			Error::<Test>::WrongStatus
		);
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		assert_noop!(
			Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id),
			Error::<Test>::WrongStatus
		);
		assert_ok!(Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)));
		for call in [
			Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id),
			Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)),
			Gateways::refund_withdrawal(RuntimeOrigin::signed(BANK), id, reason()),
			Gateways::cancel_withdrawal(RuntimeOrigin::signed(ALICE), id),
		] {
			assert_eq!(call, Err(Error::<Test>::UnknownWithdrawal.into()));
		}
		assert_eq!(supply(), 900);
	});
}

#[test]
fn another_gateway_cannot_touch_a_request() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 100);
		assert_noop!(
			Gateways::start_withdrawal(RuntimeOrigin::signed(OTHER_BANK), id),
			Error::<Test>::NotYourGateway
		);
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		assert_noop!(
			Gateways::complete_withdrawal(RuntimeOrigin::signed(OTHER_BANK), id, reference(5)),
			Error::<Test>::NotYourGateway
		);
		assert_noop!(
			Gateways::refund_withdrawal(RuntimeOrigin::signed(OTHER_BANK), id, reason()),
			Error::<Test>::NotYourGateway
		);
		assert_noop!(
			Gateways::fail_withdrawal(RuntimeOrigin::signed(ALICE), id, reason()),
			Error::<Test>::NotYourGateway
		);
	});
}

#[test]
fn refunded_and_failed_requests_return_every_coin() {
	test(|| {
		ready(ALICE);
		let first = request(ALICE, 300);
		let second = request(ALICE, 200);
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), second));
		assert_eq!(usd(ALICE), 500);

		assert_ok!(Gateways::refund_withdrawal(RuntimeOrigin::signed(BANK), first, reason()));
		System::assert_last_event(
			Event::WithdrawalRefunded {
				id: first,
				gateway: BANK,
				who: ALICE,
				asset: USD,
				amount: 300,
				reason: reason(),
			}
			.into(),
		);
		assert_ok!(Gateways::fail_withdrawal(RuntimeOrigin::signed(BANK), second, reason()));
		System::assert_last_event(
			Event::WithdrawalFailed {
				id: second,
				gateway: BANK,
				who: ALICE,
				asset: USD,
				amount: 200,
				reason: reason(),
			}
			.into(),
		);
		assert_eq!(usd(ALICE), GENESIS_BALANCE);
		assert_eq!(supply(), GENESIS_BALANCE);
		assert_eq!(info(BANK).outstanding, GENESIS_BALANCE);
	});
}

#[test]
fn an_untouched_request_is_cancelled_by_its_account_after_the_timeout() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 300);
		go_to(1 + TIMEOUT - 1);
		assert_noop!(
			Gateways::cancel_withdrawal(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotYetCancellable
		);
		go_to(1 + TIMEOUT);
		assert_noop!(
			Gateways::cancel_withdrawal(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotYourWithdrawal
		);
		assert_ok!(Gateways::cancel_withdrawal(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(
			Event::WithdrawalCancelled { id, gateway: BANK, who: ALICE, asset: USD, amount: 300 }
				.into(),
		);
		assert_eq!(usd(ALICE), GENESIS_BALANCE);
	});
}

#[test]
fn a_request_the_gateway_took_up_is_not_cancelled_but_governance_can_return_it() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 300);
		// The gateway may be paying it out: its account cannot take the coins back.
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		go_to(1 + 10 * TIMEOUT);
		assert_noop!(
			Gateways::cancel_withdrawal(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Gateways::force_refund_withdrawal(RuntimeOrigin::signed(ALICE), id, reason()),
			DispatchError::BadOrigin
		);
		assert_ok!(Gateways::force_refund_withdrawal(RuntimeOrigin::root(), id, reason()));
		System::assert_last_event(
			Event::WithdrawalRefunded {
				id,
				gateway: BANK,
				who: ALICE,
				asset: USD,
				amount: 300,
				reason: reason(),
			}
			.into(),
		);
		assert_eq!(usd(ALICE), GENESIS_BALANCE);
	});
}

#[test]
fn coins_sent_to_the_gateways_account_do_not_count_as_a_request() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 300);
		assert_ok!(Assets::transfer(
			RuntimeOrigin::signed(ALICE),
			USD.into(),
			Gateways::account_id(),
			50
		));
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		assert_ok!(Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)));
		assert_eq!(usd(Gateways::account_id()), 50);
		assert_eq!(supply(), 700);
	});
}

#[test]
fn bad_withdrawal_requests_are_refused_and_move_nothing() {
	test(|| {
		ready(ALICE);
		let ask = |gateway, amount, destination| {
			Gateways::request_withdrawal(RuntimeOrigin::signed(ALICE), gateway, amount, destination)
		};
		assert_noop!(ask(ALICE, 100, IBAN), Error::<Test>::NotAGateway);
		assert_noop!(ask(BANK, 100, reference(9)), Error::<Test>::DestinationNotRegistered);
		assert_noop!(ask(OTHER_BANK, 100, IBAN), Error::<Test>::DestinationNotRegistered);
		assert_noop!(ask(BANK, 9, IBAN), Error::<Test>::BelowMinimum);
		assert_noop!(ask(BANK, 1_001, IBAN), Error::<Test>::InsufficientBalance);
		assert_noop!(ask(BANK, 995, IBAN), Error::<Test>::WouldLeaveDust);
		for _ in 0..3 {
			assert_ok!(ask(BANK, 100, IBAN));
		}
		assert_noop!(ask(BANK, 100, IBAN), Error::<Test>::TooManyWithdrawals);
		assert_ok!(Gateways::suspend_gateway(RuntimeOrigin::root(), BANK));
		assert_ok!(Gateways::refund_withdrawal(RuntimeOrigin::signed(BANK), 0, reason()));
		assert_noop!(ask(BANK, 100, IBAN), Error::<Test>::GatewaySuspended);
		// Held coins cannot be asked for twice.
		assert_eq!(usd(ALICE), 800);
	});
}

#[test]
fn a_suspended_gateway_still_settles_its_open_requests() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, 100);
		assert_ok!(Gateways::suspend_gateway(RuntimeOrigin::root(), BANK));
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		assert_ok!(Gateways::complete_withdrawal(RuntimeOrigin::signed(BANK), id, reference(5)));
		assert_eq!(supply(), 900);
	});
}

#[test]
fn an_account_can_withdraw_all_it_holds() {
	test(|| {
		ready(ALICE);
		let id = request(ALICE, GENESIS_BALANCE);
		assert_eq!(usd(ALICE), 0);
		assert_ok!(Gateways::start_withdrawal(RuntimeOrigin::signed(BANK), id));
		assert_ok!(Gateways::fail_withdrawal(RuntimeOrigin::signed(BANK), id, reason()));
		assert_eq!(usd(ALICE), GENESIS_BALANCE);
	});
}

#[test]
fn coins_minted_around_the_gateways_are_caught_by_try_state() {
	new_test_ext().execute_with(|| {
		assert_ok!(Gateways::do_try_state());
		// Only a bug could do this: the pallet's account is the only issuer.
		assert_ok!(<Assets as Mutate<_>>::mint_into(USD, &BOB, 10));
		assert!(Gateways::do_try_state().is_err());
	});
}
