//! Storage migrations that belong to the runtime's wiring rather than to one pallet: they
//! change what the runtime chose for a pallet (an asset it created at genesis), so they live
//! here, versioned by the pallet they serve. Each is listed in [`crate::Migrations`].

/// `pallet-loyalty` v0 → v1: the loyalty token `LOY` becomes sufficient, with a minimum balance.
///
/// The previous runtime created `LOY` not sufficient, with a minimum balance of one base unit:
/// an account that held only stablecoins had no provider reference and could not receive it,
/// so its rewards were retried for a day and lapsed. v1 makes it sufficient with
/// [`LOYALTY_MIN_BALANCE`] (what the genesis presets now create), through `pallet-assets`'
/// `force_asset_status` as Root, keeping its owner, issuer, admin and freezer and whether it is
/// frozen. Holders keep what they hold: accounts created before keep the consumer reference
/// they were created with, and a balance already below the new minimum stays until it is
/// moved (it can then only be moved whole). The supply does not change.
///
/// The token's details are `pallet-assets` storage, not the loyalty pallet's: the migration is
/// the runtime's, versioned by the loyalty pallet's storage version so that it runs once.
pub mod loyalty {
	use crate::{
		configs::loyalty::{LOYALTY_MIN_BALANCE, LOYALTY_TOKEN},
		Assets, Loyalty, Runtime, RuntimeOrigin,
	};
	use frame_support::{
		migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
	};
	use pallet_assets::AssetStatus;

	/// The log target of this migration.
	const LOG_TARGET: &str = "runtime::migrations::loyalty";

	/// Makes `LOY` sufficient with [`LOYALTY_MIN_BALANCE`] (see the module's documentation).
	/// Not versioned: use [`MigrateV0ToV1`].
	///
	/// Never panics: if the token is missing, being destroyed, or `pallet-assets` refuses the
	/// change, it logs an error and leaves the token as it was.
	pub struct InnerMigrateV0ToV1;

	impl UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1 {
		fn on_runtime_upgrade() -> Weight {
			// Reads the token's details, and `force_asset_status` reads and writes them and
			// deposits an event (the event count and the events).
			let weight = <Runtime as frame_system::Config>::DbWeight::get().reads_writes(2, 3);
			let Some(details) = pallet_assets::Asset::<Runtime>::get(LOYALTY_TOKEN) else {
				log::error!(
					target: LOG_TARGET,
					"the loyalty token (asset {LOYALTY_TOKEN}) does not exist: left as it is"
				);
				return weight;
			};
			let result = Assets::force_asset_status(
				RuntimeOrigin::root(),
				LOYALTY_TOKEN.into(),
				details.owner.into(),
				details.issuer.into(),
				details.admin.into(),
				details.freezer.into(),
				LOYALTY_MIN_BALANCE,
				true,
				details.status == AssetStatus::Frozen,
			);
			match result {
				Ok(()) => log::info!(
					target: LOG_TARGET,
					"the loyalty token is sufficient, minimum balance {LOYALTY_MIN_BALANCE}"
				),
				Err(error) => log::error!(
					target: LOG_TARGET,
					"the loyalty token could not be made sufficient: {error:?}; left as it is"
				),
			}
			weight
		}

		/// Records the token's supply and roles.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let details = pallet_assets::Asset::<Runtime>::get(LOYALTY_TOKEN)
				.ok_or("the loyalty token does not exist")?;
			let roles = (details.owner, details.issuer, details.admin, details.freezer);
			Ok((details.supply, roles).encode())
		}

		/// Checks the token is sufficient with [`LOYALTY_MIN_BALANCE`], its supply and roles
		/// unchanged, and the loyalty pallet's invariants (its supply is still `TokenIssued`).
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use crate::{AccountId, Balance};
			use codec::Decode;
			use frame_support::ensure;
			type Roles = (AccountId, AccountId, AccountId, AccountId);
			let (supply, roles): (Balance, Roles) =
				Decode::decode(&mut &state[..]).map_err(|_| "pre_upgrade state undecodable")?;
			let details = pallet_assets::Asset::<Runtime>::get(LOYALTY_TOKEN)
				.ok_or("the loyalty token is gone")?;
			ensure!(details.is_sufficient, "the loyalty token is not sufficient");
			ensure!(details.min_balance == LOYALTY_MIN_BALANCE, "wrong minimum balance");
			ensure!(details.supply == supply, "the loyalty token's supply changed");
			let now = (details.owner, details.issuer, details.admin, details.freezer);
			ensure!(now == roles, "the loyalty token's roles changed");
			Loyalty::do_try_state()
		}
	}

	/// v0 → v1, once: a runtime whose loyalty pallet is already at v1 (such as one started from
	/// this runtime's genesis) skips it.
	pub type MigrateV0ToV1 = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1,
		Loyalty,
		<Runtime as frame_system::Config>::DbWeight,
	>;
}
