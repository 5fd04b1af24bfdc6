//! The runtime API integrators and bank-side services query gateways through
//! (`api.call.gatewaysApi.*` in polkadot.js, or `state_call`).

use crate::WithdrawalId;
use alloc::vec::Vec;
use codec::Codec;
use sp_core::H256;

sp_api::decl_runtime_apis! {
	/// Gateways, withdrawal requests, and supply against reserves.
	///
	/// `Gateway` is `pallet_gateways::GatewayInfoOf<Runtime>`, `Withdrawal` is
	/// `pallet_gateways::WithdrawalOf<Runtime>`, `Reserves` is
	/// `pallet_gateways::ReservesOf<Runtime>` and `Params` is `pallet_gateways::ParamsOf<Runtime>`.
	/// Completed, refunded, failed and cancelled requests are removed: their events are their
	/// record.
	pub trait GatewaysApi<AccountId, Gateway, Withdrawal, Reserves, Params>
	where
		AccountId: Codec,
		Gateway: Codec,
		Withdrawal: Codec,
		Reserves: Codec,
		Params: Codec,
	{
		/// Every gateway with its stablecoin, status, limits, outstanding amount and latest
		/// attestation.
		fn gateways() -> Vec<(AccountId, Gateway)>;
		/// An open withdrawal request.
		fn withdrawal(id: WithdrawalId) -> Option<Withdrawal>;
		/// An account's open withdrawal requests.
		fn withdrawals_of(who: AccountId) -> Vec<(WithdrawalId, Withdrawal)>;
		/// Per stablecoin: supply, its gateways' outstanding amounts, their attested reserves,
		/// and when the oldest of their latest attestations was made.
		fn reserves() -> Vec<Reserves>;
		/// The withdrawal timeout and the oldest an attestation may be for minting.
		fn params() -> Params;
		/// Whether `gateway` has deposited against `reference` (a bank-side service's check
		/// before it deposits).
		fn reference_used(gateway: AccountId, reference: H256) -> bool;
	}
}
