//! The v0 → v1 storage migration: disputes opened before references and deposits in another
//! currency keep working after the upgrade.

use super::*;
use crate::migrations::{v0, v1};
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use sp_runtime::StateVersion;

/// A deposit as v0 stored it (every v1 deposit these tests hold is stated).
fn deposit_v0(d: Deposit) -> v0::DepositV0 {
	assert_eq!(d.held_in, None, "v0 held no deposit in another currency");
	v0::DepositV0 { native: d.native, stake: d.stake }
}

/// Rewrites dispute `id` as the v0 pallet stored it.
fn as_v0(id: DisputeId) {
	let d = DisputeStore::<Test>::take(id).expect("open");
	v0::Disputes::<Test>::insert(
		id,
		v0::DisputeV0::<Test> {
			order_id: d.order_id,
			kind: d.kind,
			reason: d.reason,
			opener: d.opener,
			customer: d.customer,
			merchant: d.merchant,
			currency: d.currency,
			frozen: d.frozen,
			opened_at: d.opened_at,
			stage: d.stage,
			respondent_engaged: d.respondent_engaged,
			customer_deposit: deposit_v0(d.customer_deposit),
			merchant_deposit: deposit_v0(d.merchant_deposit),
			appeal_deposit: d.appeal_deposit.map(|(side, a)| (side, deposit_v0(a))),
			proposal: d.proposal,
			customer_evidence: d.customer_evidence,
			merchant_evidence: d.merchant_evidence,
			missed: d.missed,
			terms: d.terms,
			arbiter_fee: d.arbiter_fee,
			max_compensation: d.max_compensation,
			order_fees: d.order_fees,
		},
	);
}

#[test]
fn v0_disputes_gain_their_orders_reference_and_stated_deposits_once() {
	build_and_execute(|| {
		// An appealed dispute (deposits of both sides and an appeal deposit) and a negotiating
		// one.
		let (appealed_order, appealed, _) = in_arbitration(&[ARB1]);
		assert_ok!(Disputes::rule(RuntimeOrigin::signed(ARB1), appealed, 300));
		assert_ok!(Disputes::appeal(RuntimeOrigin::signed(ALICE), appealed));
		let order = shipped_order_of(DAVE, USDX, 1, 500, 0);
		let negotiating = open(DAVE, order, DisputeKind::Agreement, DisputeReason::Damaged);
		let ids = [appealed, negotiating];
		let before: Vec<_> = ids.iter().map(|id| Disputes::dispute(*id).expect("open")).collect();
		for id in ids {
			as_v0(id);
		}
		StorageVersion::new(0).put::<Disputes>();
		assert_ne!(Disputes::dispute(appealed).as_ref(), before.first(), "v0 is another layout");

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Disputes::on_chain_storage_version(), StorageVersion::new(1));
		for (id, was) in ids.iter().zip(before) {
			let dispute = Disputes::dispute(*id).expect("readable after the upgrade");
			assert_eq!(dispute.reference, legacy_reference(dispute.order_id));
			assert_eq!(dispute, was, "nothing else changed");
		}
		check_invariants();

		// Idempotent: at v1 it does nothing.
		let root = sp_io::storage::root(StateVersion::V1);
		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(StateVersion::V1), root);

		// The migrated disputes end as the rules say, every deposit paid out.
		assert_ok!(Disputes::decide(RuntimeOrigin::root(), appealed, 800));
		assert_ok!(Disputes::propose_settlement(RuntimeOrigin::signed(BOB), negotiating, 200));
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(DAVE), negotiating));
		for id in ids {
			assert!(Disputes::dispute(id).is_none(), "dispute {id} resolved");
		}
		assert!(Orders::order(appealed_order).is_none(), "the order is archived");
		assert_held(0, 0);
	});
}
