//! Storage migrations of the disputes pallet.
//!
//! - **v0 → v1** ([`v1::MigrateV0ToV1`]): a dispute records its order's payment reference,
//!   and a [`Deposit`] says which currency it is held in (issue 14: a customer with no ENT
//!   posts its deposit in the currency it paid in). Every v0 deposit was held in the native
//!   token (flat part) and the order's currency (stake): `held_in` is `None`. Every v0 dispute
//!   is about an order placed before references existed, whose reference the orders pallet's
//!   own v0 → v1 migration makes of its id ([`entrepot_primitives::legacy_reference`]): so
//!   does this one, whether or not the order is still open. One read and one write per open
//!   dispute, in one block: open disputes are bounded by the deposits they hold.

use crate::{pallet::*, types::*, Balance, CurrencyId, OrderId};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// The types and storage of v0.
#[allow(missing_docs)]
pub mod v0 {
	use super::*;

	/// A deposit as v0 stored it: the flat part in the native token, the stake in the order's
	/// currency.
	#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct DepositV0 {
		pub native: Balance,
		pub stake: Balance,
	}

	impl From<DepositV0> for Deposit {
		fn from(old: DepositV0) -> Deposit {
			Deposit::stated(old.native, old.stake)
		}
	}

	/// A dispute as v0 stored it: [`Dispute`] without `reference`, with v0 deposits (each
	/// field as documented there).
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
	pub struct DisputeV0<T: Config> {
		pub order_id: OrderId,
		pub kind: DisputeKind,
		pub reason: DisputeReason,
		pub opener: Side,
		pub customer: T::AccountId,
		pub merchant: T::AccountId,
		pub currency: CurrencyId,
		pub frozen: Balance,
		pub opened_at: BlockNumberFor<T>,
		pub stage: Stage<T>,
		pub respondent_engaged: bool,
		pub customer_deposit: DepositV0,
		pub merchant_deposit: DepositV0,
		pub appeal_deposit: Option<(Side, DepositV0)>,
		pub proposal: Option<Proposal>,
		pub customer_evidence: BoundedVec<Evidence, T::MaxEvidence>,
		pub merchant_evidence: BoundedVec<Evidence, T::MaxEvidence>,
		pub missed: BoundedVec<T::AccountId, T::MaxReassignments>,
		pub terms: KindParamsOf<T>,
		pub arbiter_fee: Balance,
		pub max_compensation: Permill,
		pub order_fees: Balance,
	}

	/// v0's disputes.
	#[storage_alias]
	pub type Disputes<T: Config> = StorageMap<Pallet<T>, Twox64Concat, DisputeId, DisputeV0<T>>;
}

/// The migration to v1.
pub mod v1 {
	use super::*;

	/// Translates every v0 dispute (see the module's documentation). Not versioned: use
	/// [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count: u64 = 0;
			Disputes::<T>::translate::<v0::DisputeV0<T>, _>(|_, old| {
				count = count.saturating_add(1);
				Some(Dispute {
					order_id: old.order_id,
					reference: entrepot_primitives::legacy_reference(old.order_id),
					kind: old.kind,
					reason: old.reason,
					opener: old.opener,
					customer: old.customer,
					merchant: old.merchant,
					currency: old.currency,
					frozen: old.frozen,
					opened_at: old.opened_at,
					stage: old.stage,
					respondent_engaged: old.respondent_engaged,
					customer_deposit: old.customer_deposit.into(),
					merchant_deposit: old.merchant_deposit.into(),
					appeal_deposit: old.appeal_deposit.map(|(side, d)| (side, d.into())),
					proposal: old.proposal,
					customer_evidence: old.customer_evidence,
					merchant_evidence: old.merchant_evidence,
					missed: old.missed,
					terms: old.terms,
					arbiter_fee: old.arbiter_fee,
					max_compensation: old.max_compensation,
					order_fees: old.order_fees,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let count = v0::Disputes::<T>::iter().count() as u64;
			let frozen: Balance = v0::Disputes::<T>::iter_values().map(|d| d.frozen).sum();
			Ok((count, frozen).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (count, frozen): (u64, Balance) =
				Decode::decode(&mut &state[..]).map_err(|_| "pre_upgrade state undecodable")?;
			ensure!(Disputes::<T>::iter().count() as u64 == count, "disputes lost");
			ensure!(
				Disputes::<T>::iter_values().map(|d| d.frozen).sum::<Balance>() == frozen,
				"frozen amounts changed"
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
