//! Storage migrations of the orders pallet.
//!
//! - **v0 → v1** ([`v1::MigrateV0ToV1`]): every order gained a payment reference, the currency
//!   its deposit is held in and, for orders paid in another currency, the conversion at
//!   checkout (issue 14). Orders placed before carry none of these: each gets the reference
//!   made of its id (unique per merchant, as ids are), its deposit in ENT (where the v0 pallet
//!   held every deposit) and no conversion; the index [`crate::OrderByReference`] is built.
//!   One read and two writes per open order, in one block: open orders are bounded by the
//!   deposits they hold, and a chain with more of them than a block can migrate must run it as
//!   a multi-block migration instead (docs/upgrades.md).

use crate::{pallet::*, types::*, Balance, CurrencyId, OrderId, PaymentMode};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// The types and storage of v0.
#[allow(missing_docs)]
pub mod v0 {
	use super::*;

	/// An order as v0 stored it: [`Order`] without `reference`, `deposit_currency` and
	/// `exchange` (each field as documented there).
	#[allow(missing_docs)]
	#[derive(
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		Encode,
		Decode,
		MaxEncodedLen,
		TypeInfo,
	)]
	#[scale_info(skip_type_params(T))]
	#[codec(mel_bound())]
	pub struct OrderV0<T: Config> {
		pub customer: T::AccountId,
		pub merchant: T::AccountId,
		pub currency: CurrencyId,
		pub items: BoundedVec<LineItem, T::MaxItems>,
		pub freight: Balance,
		pub total: Balance,
		pub details_hash: H256,
		pub encrypted_details: Option<BoundedVec<u8, T::MaxEncryptedLen>>,
		pub mode: PaymentMode,
		pub policy: MerchantPolicy<T>,
		pub placed_at: BlockNumberFor<T>,
		pub deposit: Balance,
		pub status: OrderStatus<T>,
		pub tracking: Option<H256>,
		pub return_tracking: Option<H256>,
		pub locked: Balance,
		pub refunded: Balance,
		pub paid_out: Balance,
		pub fees: Balance,
		pub discounted: Balance,
		pub after_sales_until: Option<BlockNumberFor<T>>,
		pub escrow_refund_requested: bool,
		pub holdback_refund_requested: bool,
	}

	/// v0's orders.
	#[storage_alias]
	pub type Orders<T: Config> = StorageMap<Pallet<T>, Twox64Concat, OrderId, OrderV0<T>>;
}

/// The migration to v1.
pub mod v1 {
	use super::*;

	/// Translates every v0 order (see the module's documentation). Not versioned: use
	/// [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count: u64 = 0;
			Orders::<T>::translate::<v0::OrderV0<T>, _>(|order_id, old| {
				count = count.saturating_add(1);
				let reference = entrepot_primitives::legacy_reference(order_id);
				OrderByReference::<T>::insert(&old.merchant, reference, order_id);
				Some(Order {
					customer: old.customer,
					merchant: old.merchant,
					currency: old.currency,
					items: old.items,
					freight: old.freight,
					total: old.total,
					details_hash: old.details_hash,
					encrypted_details: old.encrypted_details,
					mode: old.mode,
					policy: old.policy,
					placed_at: old.placed_at,
					deposit: old.deposit,
					status: old.status,
					tracking: old.tracking,
					return_tracking: old.return_tracking,
					locked: old.locked,
					refunded: old.refunded,
					paid_out: old.paid_out,
					fees: old.fees,
					discounted: old.discounted,
					after_sales_until: old.after_sales_until,
					escrow_refund_requested: old.escrow_refund_requested,
					holdback_refund_requested: old.holdback_refund_requested,
					reference,
					deposit_currency: CurrencyId::Native,
					exchange: None,
				})
			});
			T::DbWeight::get().reads_writes(count, count.saturating_mul(2))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let count = v0::Orders::<T>::iter().count() as u64;
			let total: Balance = v0::Orders::<T>::iter_values().map(|o| o.total).sum();
			Ok((count, total).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (count, total): (u64, Balance) =
				Decode::decode(&mut &state[..]).map_err(|_| "pre_upgrade state undecodable")?;
			ensure!(Orders::<T>::iter().count() as u64 == count, "orders lost");
			ensure!(
				Orders::<T>::iter_values().map(|o| o.total).sum::<Balance>() == total,
				"order totals changed"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// v0 → v1, once: a runtime that is already at v1 skips it.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
