//! The runtime API integrators query disputes through (`api.call.disputesApi.*` in
//! polkadot.js, or `state_call`).

use crate::DisputeId;
use alloc::vec::Vec;
use codec::Codec;
use entrepot_primitives::OrderId;

sp_api::decl_runtime_apis! {
	/// Inquiry into open disputes, arbiters and the dispute parameters.
	///
	/// `Dispute` is `pallet_disputes::DisputeOf<Runtime>`, `Params` is
	/// `pallet_disputes::DisputeParamsOf<Runtime>`. A resolved dispute is removed: its events
	/// are its record. Pages hold at most the pallet's `MaxPageSize` disputes, in storage
	/// order: pass the last id of a page as `start_after` to get the next.
	pub trait DisputesApi<AccountId, Dispute, Params>
	where
		AccountId: Codec,
		Dispute: Codec,
		Params: Codec,
	{
		/// An open dispute by id.
		fn dispute(dispute_id: DisputeId) -> Option<Dispute>;
		/// The open dispute of an order, with its id.
		fn dispute_of_order(order_id: OrderId) -> Option<(DisputeId, Dispute)>;
		/// The disputes an arbiter is assigned to and has not ruled yet.
		fn arbiter_cases(arbiter: AccountId) -> Vec<(DisputeId, Dispute)>;
		/// A page of a party's open disputes.
		fn disputes_of(
			party: AccountId,
			start_after: Option<DisputeId>,
			limit: u32,
		) -> Vec<(DisputeId, Dispute)>;
		/// The current arbiters.
		fn arbiters() -> Vec<AccountId>;
		/// The parameters in force for disputes opened now.
		fn params() -> Params;
	}
}
