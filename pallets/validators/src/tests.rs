//! Unit tests of the validators pallet, named after the behaviour they show. Every test ends
//! with the pallet's `try_state` (see [`build_and_execute`]), and [`run_to_session`] checks it
//! after every block.

use crate::{mock::*, Changed, Error, Event, InSyncFrom, ValidatorSetOf};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pallet_session::SessionManager;
use sp_runtime::{testing::UintAuthorityId, BuildStorage, DispatchError};

/// Overwrites the governance set, bypassing the calls' checks.
fn put_governance_set(set: Vec<AccountId>) {
	let set: ValidatorSetOf<Test> = BoundedVec::truncate_from(set);
	crate::Validators::<Test>::put(set);
}

/// How many times this pallet planned a new set.
fn plans() -> usize {
	validators_events()
		.iter()
		.filter(|e| matches!(e, Event::NewSetPlanned { .. }))
		.count()
}

/// Whether the session pallet queued a new set at some rotation.
fn session_queued_a_new_set() -> bool {
	System::events()
		.iter()
		.any(|r| matches!(r.event, RuntimeEvent::Session(pallet_session::Event::NewQueued)))
}

// ---- Genesis ---------------------------------------------------------------------------------

#[test]
fn genesis_hands_the_governance_set_to_the_first_sessions() {
	build_and_execute(|| {
		assert_eq!(governance_set(), GENESIS.to_vec());
		assert_eq!(session_set(), GENESIS.to_vec());
		assert_eq!(queued_set(), GENESIS.to_vec());
		assert_eq!(Authorities::get(), GENESIS.to_vec());
		assert!(!Changed::<Test>::get());
		assert_eq!(InSyncFrom::<Test>::get(), Some(0));
	});
}

#[test]
#[should_panic(expected = "duplicate validators in genesis")]
fn genesis_refuses_duplicate_validators() {
	let _ = crate::GenesisConfig::<Test> { initial_validators: vec![ALICE, BOB, ALICE] }
		.build_storage();
}

#[test]
#[should_panic(expected = "fewer genesis validators than MinValidators")]
fn genesis_refuses_fewer_validators_than_the_minimum() {
	let _ = crate::GenesisConfig::<Test> { initial_validators: vec![ALICE] }.build_storage();
}

#[test]
#[should_panic(expected = "more genesis validators than MaxValidators")]
fn genesis_refuses_more_validators_than_the_maximum() {
	let _ =
		crate::GenesisConfig::<Test> { initial_validators: vec![1, 2, 3, 4, 5, 6] }.build_storage();
}

// ---- add_validator ---------------------------------------------------------------------------

#[test]
fn add_validator_inserts_a_keyed_account_in_order_and_flags_the_change() {
	build_and_execute(|| {
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), DAVE));

		assert_eq!(governance_set(), vec![ALICE, DAVE, BOB, CHARLIE]);
		assert!(Changed::<Test>::get());
		assert_eq!(validators_events(), vec![Event::ValidatorAdded { who: DAVE }]);
		// Nothing changes for the session pallet before the next rotation.
		assert_eq!(session_set(), GENESIS.to_vec());
		assert_eq!(queued_set(), GENESIS.to_vec());
	});
}

#[test]
fn add_validator_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(ALICE), DAVE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), BOB),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), ZED),
			Error::<Test>::NoSessionKeys
		);
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), DAVE));
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), EVE));
		assert_eq!(governance_set().len() as u32, MAX_VALIDATORS);
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::root(), FERDIE),
			Error::<Test>::TooManyValidators
		);
	});
}

// ---- remove_validator ------------------------------------------------------------------------

#[test]
fn remove_validator_removes_it_and_flags_the_change() {
	build_and_execute(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), BOB));

		assert_eq!(governance_set(), vec![ALICE, CHARLIE]);
		assert!(Changed::<Test>::get());
		assert_eq!(validators_events(), vec![Event::ValidatorRemoved { who: BOB }]);
		assert_eq!(session_set(), GENESIS.to_vec());
	});
}

#[test]
fn remove_validator_fails_on_invalid_requests() {
	build_and_execute(|| {
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::signed(ALICE), BOB),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), DAVE),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn remove_validator_stops_at_the_minimum() {
	build_and_execute(|| {
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), BOB));
		assert_eq!(governance_set().len() as u32, MIN_VALIDATORS);

		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), ALICE),
			Error::<Test>::TooFewValidators
		);
		assert_noop!(
			Validators::remove_validator(RuntimeOrigin::root(), CHARLIE),
			Error::<Test>::TooFewValidators
		);
		// Adding first makes room to remove.
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), EVE));
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), ALICE));
		assert_eq!(governance_set(), vec![CHARLIE, EVE]);
	});
}

// ---- Session rotation ------------------------------------------------------------------------

#[test]
fn an_added_validator_validates_from_the_session_after_next() {
	build_and_execute(|| {
		// Session 0: governance adds DAVE.
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), DAVE));
		let new_set = vec![ALICE, DAVE, BOB, CHARLIE];

		// Session 1 starts: the new set is queued for session 2, not active yet.
		run_to_session(1);
		assert_eq!(System::block_number(), PERIOD);
		assert_eq!(session_set(), GENESIS.to_vec());
		assert_eq!(Authorities::get(), GENESIS.to_vec());
		assert_eq!(queued_set(), new_set);
		assert!(!Changed::<Test>::get());
		assert_eq!(InSyncFrom::<Test>::get(), Some(2));
		assert_eq!(
			validators_events().last(),
			Some(&Event::NewSetPlanned { session_index: 2, validators: new_set.clone() })
		);

		// Session 2 starts: DAVE validates, and consensus was given the new authorities.
		run_to_session(2);
		assert_eq!(System::block_number(), 2 * PERIOD);
		assert_eq!(session_set(), new_set);
		assert_eq!(Authorities::get(), new_set);

		// Later sessions keep it, without planning again.
		run_to_session(4);
		assert_eq!(session_set(), new_set);
		assert_eq!(plans(), 1);
	});
}

#[test]
fn a_removed_validator_stops_validating_from_the_session_after_next() {
	build_and_execute(|| {
		// Session 0: governance removes BOB.
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), BOB));

		run_to_session(1);
		assert!(session_set().contains(&BOB));
		assert!(Authorities::get().contains(&BOB));
		assert_eq!(queued_set(), vec![ALICE, CHARLIE]);

		run_to_session(2);
		assert_eq!(session_set(), vec![ALICE, CHARLIE]);
		assert_eq!(Authorities::get(), vec![ALICE, CHARLIE]);
		// BOB's keys stay registered: governance may add it back without a new `set_keys`.
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), BOB));
	});
}

#[test]
fn a_change_made_late_in_a_session_also_waits_for_the_session_after_next() {
	build_and_execute(|| {
		// The last block of session 0.
		System::run_to_block::<AllPalletsWithSystem>(PERIOD - 1);
		assert_eq!(Session::current_index(), 0);
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), DAVE));

		run_to_session(1);
		assert!(!session_set().contains(&DAVE));
		run_to_session(2);
		assert!(session_set().contains(&DAVE));
	});
}

#[test]
fn changes_made_in_one_session_are_planned_together() {
	build_and_execute(|| {
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), DAVE));
		assert_ok!(Validators::add_validator(RuntimeOrigin::root(), EVE));
		assert_ok!(Validators::remove_validator(RuntimeOrigin::root(), ALICE));

		run_to_session(2);
		assert_eq!(plans(), 1);
		assert_eq!(session_set(), vec![DAVE, BOB, CHARLIE, EVE]);
	});
}

#[test]
fn an_unchanged_set_is_not_planned_again() {
	build_and_execute(|| {
		run_to_session(3);
		assert_eq!(plans(), 0);
		assert!(!session_queued_a_new_set());
		assert_eq!(session_set(), GENESIS.to_vec());
		assert_eq!(<Validators as SessionManager<AccountId>>::new_session(4), None);
	});
}

#[test]
fn a_validator_without_keys_sits_out_until_its_keys_return() {
	build_and_execute(|| {
		// Session 0: BOB purges its keys. The session pallet leaves it out of the set it
		// queues at the next rotation; the governance set keeps it.
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(BOB)));
		run_to_session(1);
		assert_eq!(queued_set(), vec![ALICE, CHARLIE]);
		assert_eq!(InSyncFrom::<Test>::get(), None);
		run_to_session(2);
		assert_eq!(session_set(), vec![ALICE, CHARLIE]);
		assert_eq!(Authorities::get(), vec![ALICE, CHARLIE]);
		assert_eq!(governance_set(), GENESIS.to_vec());
		assert_eq!(plans(), 0);

		// Session 2: BOB sets keys again. The next rotation plans the governance set again,
		// without a governance call.
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(BOB), UintAuthorityId(BOB), vec![]));
		run_to_session(3);
		assert_eq!(queued_set(), GENESIS.to_vec());
		assert_eq!(InSyncFrom::<Test>::get(), Some(4));
		assert_eq!(
			validators_events().last(),
			Some(&Event::NewSetPlanned { session_index: 4, validators: GENESIS.to_vec() })
		);
		run_to_session(4);
		assert_eq!(session_set(), GENESIS.to_vec());
		assert_eq!(Authorities::get(), GENESIS.to_vec());
	});
}

// ---- try_state -------------------------------------------------------------------------------

#[test]
fn try_state_catches_a_broken_governance_set() {
	new_test_ext().execute_with(|| {
		assert_ok!(Validators::do_try_state());

		put_governance_set(vec![ALICE]);
		assert!(Validators::do_try_state().is_err(), "below the minimum");

		put_governance_set(vec![BOB, ALICE, CHARLIE]);
		assert!(Validators::do_try_state().is_err(), "not sorted");

		put_governance_set(vec![ALICE, BOB, BOB]);
		assert!(Validators::do_try_state().is_err(), "duplicates");
	});
}

#[test]
fn try_state_catches_a_session_set_that_does_not_follow_governance() {
	new_test_ext().execute_with(|| {
		pallet_session::Validators::<Test>::put(vec![ALICE, BOB]);
		assert!(Validators::do_try_state().is_err());

		// While a change waits to be planned, the sets may differ.
		Changed::<Test>::put(true);
		assert_ok!(Validators::do_try_state());
	});
}
