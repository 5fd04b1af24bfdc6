//! Tests of the gateways pallet: only governance issues, and only what can be received.

use crate::{mock::*, Error, Event};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Inspect};
use sp_core::H256;
use sp_runtime::DispatchError;

#[test]
fn governance_mints_to_an_account_with_the_reference_in_the_event() {
	new_test_ext().execute_with(|| {
		assert_ok!(Gateways::force_mint(
			RuntimeOrigin::root(),
			USD,
			ALICE,
			500,
			H256::repeat_byte(9)
		));
		assert_eq!(Assets::balance(USD, ALICE), 500);
		assert_eq!(Assets::total_issuance(USD), 500);
		System::assert_last_event(
			Event::Minted {
				asset: USD,
				beneficiary: ALICE,
				amount: 500,
				reference: H256::repeat_byte(9),
			}
			.into(),
		);
	});
}

#[test]
fn a_signed_account_cannot_mint_not_even_through_the_assets_pallet() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Gateways::force_mint(RuntimeOrigin::signed(ALICE), USD, ALICE, 500, H256::zero()),
			DispatchError::BadOrigin
		);
		// The asset's issuer is the keyless gateways account: nobody else may mint through
		// pallet-assets either.
		assert_noop!(
			Assets::mint(RuntimeOrigin::signed(ALICE), USD.into(), ALICE, 500),
			pallet_assets::Error::<Test>::NoPermission
		);
		assert_eq!(Assets::total_issuance(USD), 0);
	});
}

#[test]
fn minting_nothing_or_what_cannot_be_received_fails_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Gateways::force_mint(RuntimeOrigin::root(), USD, ALICE, 0, H256::zero()),
			Error::<Test>::ZeroAmount
		);
		// Below the minimum balance of 10, for an account that holds none.
		assert_noop!(
			Gateways::force_mint(RuntimeOrigin::root(), USD, ALICE, 9, H256::zero()),
			Error::<Test>::CannotReceive
		);
		// An asset that does not exist is no stablecoin of the gateways account.
		assert_noop!(
			Gateways::force_mint(RuntimeOrigin::root(), 77, ALICE, 500, H256::zero()),
			Error::<Test>::NotAStablecoin
		);
	});
}

#[test]
fn governance_cannot_mint_an_asset_another_account_issues() {
	new_test_ext().execute_with(|| {
		// ALICE creates an asset of her own (as the loyalty pallet's account owns LOY).
		assert_ok!(Assets::create(RuntimeOrigin::signed(ALICE), 9u32.into(), ALICE, 1));
		assert_noop!(
			Gateways::force_mint(RuntimeOrigin::root(), 9, ALICE, 500, H256::zero()),
			Error::<Test>::NotAStablecoin
		);
		assert_eq!(Assets::total_issuance(9), 0);
	});
}

#[test]
fn nobody_can_freeze_burn_or_take_over_the_stablecoin() {
	new_test_ext().execute_with(|| {
		let issuer = Gateways::account_id();
		let details = pallet_assets::Asset::<Test>::get(USD).expect("created at genesis");
		assert_eq!(
			(details.owner, details.issuer, details.admin, details.freezer),
			(issuer, issuer, issuer, issuer)
		);
		assert_ok!(Gateways::force_mint(RuntimeOrigin::root(), USD, ALICE, 500, H256::zero()));
		let alice = RuntimeOrigin::signed(ALICE);
		let no = || pallet_assets::Error::<Test>::NoPermission;
		assert_noop!(Assets::freeze(alice.clone(), USD.into(), ALICE), no());
		assert_noop!(Assets::burn(alice.clone(), USD.into(), ALICE, 100), no());
		assert_noop!(Assets::transfer_ownership(alice.clone(), USD.into(), ALICE), no());
		assert_noop!(Assets::set_team(alice, USD.into(), ALICE, ALICE, ALICE), no());
		assert_eq!((Assets::balance(USD, ALICE), Assets::total_issuance(USD)), (500, 500));
	});
}
