//! The v0 → v1 storage migration: orders placed before payment references, deposits in a
//! stablecoin and exchange at checkout keep working after the upgrade.

use super::*;
use crate::{
	migrations::{v0, v1},
	OrderByReference,
};
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use sp_runtime::StateVersion;

/// Rewrites order `id` as the v0 pallet stored it.
fn as_v0(id: OrderId) {
	let o = crate::pallet::Orders::<Test>::take(id).expect("open");
	OrderByReference::<Test>::remove(&o.merchant, o.reference);
	v0::Orders::<Test>::insert(
		id,
		v0::OrderV0::<Test> {
			customer: o.customer,
			merchant: o.merchant,
			currency: o.currency,
			items: o.items,
			freight: o.freight,
			total: o.total,
			details_hash: o.details_hash,
			encrypted_details: o.encrypted_details,
			mode: o.mode,
			policy: o.policy,
			placed_at: o.placed_at,
			deposit: o.deposit,
			status: o.status,
			tracking: o.tracking,
			return_tracking: o.return_tracking,
			locked: o.locked,
			refunded: o.refunded,
			paid_out: o.paid_out,
			fees: o.fees,
			discounted: o.discounted,
			after_sales_until: o.after_sales_until,
			escrow_refund_requested: o.escrow_refund_requested,
			holdback_refund_requested: o.holdback_refund_requested,
		},
	);
}

#[test]
fn v0_orders_gain_a_reference_an_ent_deposit_and_no_conversion_once() {
	build_and_execute(|| {
		register(BOB);
		let placed = place(ALICE, USDX, PaymentMode::Escrow);
		let shipped = place(DAVE, ENT, PaymentMode::Escrow);
		ship(shipped);
		let direct = place(ALICE, USDX, PaymentMode::Direct);
		let ids = [placed, shipped, direct];
		let before: Vec<_> = ids.iter().map(|id| Orders::order(*id).expect("open")).collect();
		for id in ids {
			as_v0(id);
		}
		StorageVersion::new(0).put::<Orders>();
		assert!(Orders::order(placed).is_none(), "v0 orders do not decode as v1");

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Orders::on_chain_storage_version(), StorageVersion::new(1));
		for (id, was) in ids.iter().zip(before) {
			let order = Orders::order(*id).expect("readable after the upgrade");
			let reference = entrepot_primitives::legacy_reference(*id);
			assert_eq!(order.reference, reference);
			assert_eq!(order.deposit_currency, ENT, "v0 held every deposit in ENT");
			assert_eq!(order.exchange, None);
			assert_eq!(order.status, was.status);
			assert_eq!(
				(order.total, order.locked, order.deposit),
				(was.total, was.locked, was.deposit)
			);
			assert_eq!(Orders::order_by_reference(BOB, reference).map(|(i, _)| i), Some(*id));
		}
		check_invariants();

		// Idempotent: at v1 it does nothing.
		let root = sp_io::storage::root(StateVersion::V1);
		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(StateVersion::V1), root);

		// The migrated orders complete their lifecycle.
		ship(placed);
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), placed));
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(DAVE), shipped));
		assert_ok!(Orders::mark_shipped(RuntimeOrigin::signed(BOB), direct, H256::repeat_byte(3)));
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(ALICE), direct));
		assert!(Orders::order(direct).is_none(), "a confirmed direct order is archived");
		run_to_block(100);
		for id in ids {
			assert!(Orders::order(id).is_none(), "order {id} archived");
		}
		assert_eq!(deposit_held(HoldReason::OrderDeposit, ALICE), 0);
		assert_eq!(deposit_held(HoldReason::OrderDeposit, DAVE), 0);
	});
}
