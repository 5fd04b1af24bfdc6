//! The runtime upgrade checked against a snapshot of a live chain, as try-runtime's
//! `on-runtime-upgrade` does: every key and value of a chain started from an older runtime,
//! loaded into `TestExternalities`, then this runtime's migrations run with their pre- and
//! post-upgrade checks, the whole state decoded and every pallet's `try_state`; a second run
//! must change nothing.
//!
//! The snapshot comes from `tests/e2e/upgrade.test.js`, which starts a node on the previous
//! runtime, puts orders, disputes and rewards in flight and writes the state of a finalized
//! block to `ENTREPOT_SNAPSHOT` before it enacts the upgrade; `scripts/test.sh` then runs this
//! test on it (docs/upgrades.md).

use crate::{Disputes, Executive, Loyalty, Orders, Runtime, VERSION};
use frame_support::traits::{GetStorageVersion, StorageVersion};
use frame_try_runtime::UpgradeCheckSelect;
use sp_runtime::StateVersion;

fn unhex(s: &str) -> Vec<u8> {
	let s = s.trim_start_matches("0x");
	assert!(s.len().is_multiple_of(2), "odd-length hex in the snapshot");
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex in the snapshot"))
		.collect()
}

/// The state of the snapshot at `path`: `{ "pairs": [["0xkey", "0xvalue"], ...], .. }`.
fn snapshot(path: &str) -> sp_io::TestExternalities {
	let text = std::fs::read_to_string(path).expect("the snapshot file reads");
	let json: serde_json::Value = serde_json::from_str(&text).expect("the snapshot is JSON");
	let pairs = json["pairs"].as_array().expect("the snapshot has pairs");
	assert!(pairs.len() > 100, "a live chain's state has more than {} keys", pairs.len());
	let mut ext = sp_io::TestExternalities::new_empty();
	for pair in pairs {
		let (key, value) = (pair[0].as_str().expect("a key"), pair[1].as_str().expect("a value"));
		ext.insert(unhex(key), unhex(value));
	}
	ext
}

#[test]
#[ignore = "needs a live chain's snapshot in ENTREPOT_SNAPSHOT (scripts/test.sh takes one)"]
fn try_runtime_upgrade_on_a_live_snapshot() {
	let path = std::env::var("ENTREPOT_SNAPSHOT").expect("ENTREPOT_SNAPSHOT names a snapshot");
	snapshot(&path).execute_with(|| {
		let last = frame_system::LastRuntimeUpgrade::<Runtime>::get().expect("a live chain");
		assert!(last.spec_version.0 < VERSION.spec_version, "the snapshot runs an older runtime");
		assert_eq!(Orders::on_chain_storage_version(), StorageVersion::new(0));
		assert_eq!(Disputes::on_chain_storage_version(), StorageVersion::new(0));
		assert_eq!(Loyalty::on_chain_storage_version(), StorageVersion::new(0));

		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the upgrade's checks");
		assert_eq!(Orders::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Disputes::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Loyalty::on_chain_storage_version(), StorageVersion::new(1));
		let loy = pallet_assets::Asset::<Runtime>::get(crate::configs::loyalty::LOYALTY_TOKEN)
			.expect("the loyalty token");
		assert!(loy.is_sufficient, "the loyalty token is sufficient");
		// The snapshot had work in flight, now readable in the new layout.
		assert!(pallet_orders::Orders::<Runtime>::iter().count() > 0, "no open order migrated");
		assert!(pallet_disputes::Disputes::<Runtime>::iter().count() > 0, "no dispute migrated");

		// Idempotent: a second run changes nothing.
		let root = sp_io::storage::root(StateVersion::V1);
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the second run's checks");
		assert_eq!(sp_io::storage::root(StateVersion::V1), root, "the second run changed state");
	});
}
