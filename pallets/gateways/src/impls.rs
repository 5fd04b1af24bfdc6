//! Reads (for the runtime API and the other files), the checks every feature shares, the
//! genesis build and the invariants.

use crate::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{roles, Inspect},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{AccountIdConversion, CheckedDiv, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The issuer account: it holds every role of the stablecoins and the coins of open
	/// withdrawal requests, and nobody can sign for it.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Every gateway, with its state.
	pub fn gateways() -> Vec<(T::AccountId, GatewayInfoOf<T>)> {
		Gateways::<T>::iter().collect()
	}

	/// An open withdrawal request.
	pub fn withdrawal(id: WithdrawalId) -> Option<WithdrawalOf<T>> {
		Withdrawals::<T>::get(id)
	}

	/// An account's open withdrawal requests, oldest first.
	pub fn withdrawals_of(who: &T::AccountId) -> Vec<(WithdrawalId, WithdrawalOf<T>)> {
		WithdrawalsOf::<T>::get(who)
			.into_iter()
			.filter_map(|id| Withdrawals::<T>::get(id).map(|w| (id, w)))
			.collect()
	}

	/// Per stablecoin with a gateway: supply, what its gateways have outstanding, what they
	/// attested, and the oldest of their latest attestations.
	pub fn reserves() -> Vec<ReservesOf<T>> {
		let mut by_asset: BTreeMap<AssetId, ReservesOf<T>> = BTreeMap::new();
		let mut unattested: Vec<AssetId> = Vec::new();
		for (_, info) in Gateways::<T>::iter() {
			let entry = by_asset.entry(info.asset).or_insert_with(|| Reserves {
				asset: info.asset,
				supply: T::Assets::total_issuance(info.asset),
				outstanding: 0,
				attested: 0,
				last_attested: None,
			});
			entry.outstanding = entry.outstanding.saturating_add(info.outstanding);
			match info.attestation {
				Some(a) => {
					entry.attested = entry.attested.saturating_add(a.amount);
					entry.last_attested =
						Some(entry.last_attested.map_or(a.at, |oldest| oldest.min(a.at)));
				},
				None => unattested.push(info.asset),
			}
		}
		for asset in unattested {
			if let Some(entry) = by_asset.get_mut(&asset) {
				entry.last_attested = None;
			}
		}
		by_asset.into_values().collect()
	}

	/// The parameters in force.
	pub fn params() -> ParamsOf<T> {
		GatewayParams::<T>::get()
	}

	/// Whether `gateway` has deposited against `reference`.
	pub fn reference_used(gateway: &T::AccountId, reference: H256) -> bool {
		DepositReferences::<T>::contains_key(gateway, reference)
	}

	/// Whether this pallet issues `asset` (its issuer is this pallet's account).
	pub(crate) fn is_stablecoin(asset: AssetId) -> bool {
		<T::Assets as roles::Inspect<_>>::issuer(asset) == Some(Self::account_id())
	}

	/// The first block of the day window `now` is in.
	pub(crate) fn day_window(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let day = T::BlocksPerDay::get();
		now.checked_div(&day).map_or(now, |days| days.saturating_mul(day))
	}

	/// A gateway as appointed: active, in the current day window.
	pub(crate) fn new_gateway(
		asset: AssetId,
		limits: Limits,
		outstanding: Balance,
		attestation: Option<Attestation<BlockNumberFor<T>>>,
	) -> GatewayInfoOf<T> {
		GatewayInfo {
			asset,
			status: GatewayStatus::Active,
			limits,
			outstanding,
			window_start: Self::day_window(frame_system::Pallet::<T>::block_number()),
			minted_in_window: 0,
			attestation,
		}
	}

	/// Checks that the gateway's latest attestation is recent and covers `outstanding`.
	pub(crate) fn ensure_reserves_cover(
		info: &GatewayInfoOf<T>,
		outstanding: Balance,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		let attestation = info.attestation.as_ref().ok_or(Error::<T>::ReservesStale)?;
		ensure!(
			now.saturating_sub(attestation.at) <= GatewayParams::<T>::get().max_attestation_age,
			Error::<T>::ReservesStale
		);
		ensure!(attestation.amount >= outstanding, Error::<T>::ReservesBelowSupply);
		Ok(())
	}

	/// Genesis: each gateway, the first of each stablecoin with the coin's whole supply and an
	/// attestation of it at block 0.
	pub(crate) fn build_genesis(
		gateways: &[(T::AccountId, AssetId, Limits)],
		params: ParamsOf<T>,
	) -> DispatchResult {
		GatewayParams::<T>::put(params);
		for (gateway, asset, limits) in gateways {
			ensure!(!Gateways::<T>::contains_key(gateway), Error::<T>::AlreadyAGateway);
			ensure!(Self::is_stablecoin(*asset), Error::<T>::NotAStablecoin);
			let first = !Gateways::<T>::iter_values().any(|g| g.asset == *asset);
			let supply = if first { T::Assets::total_issuance(*asset) } else { 0 };
			let attestation =
				Attestation { amount: supply, document: H256::zero(), at: Zero::zero() };
			Gateways::<T>::insert(
				gateway,
				Self::new_gateway(*asset, *limits, supply, Some(attestation)),
			);
		}
		ensure!(Gateways::<T>::count() <= T::MaxGateways::get(), Error::<T>::TooManyGateways);
		Ok(())
	}

	/// Checks the pallet's invariants (see the crate docs).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_supply_is_attributed()?;
		Self::try_state_requests_are_held()?;
		Self::try_state_index_matches()
	}

	/// Invariant 1: every stablecoin's supply is what its gateways have outstanding.
	fn try_state_supply_is_attributed() -> Result<(), sp_runtime::TryRuntimeError> {
		for reserves in Self::reserves() {
			ensure!(
				reserves.supply == reserves.outstanding,
				"a stablecoin's supply differs from what its gateways have outstanding"
			);
		}
		ensure!(Gateways::<T>::count() <= T::MaxGateways::get(), "more gateways than MaxGateways");
		Ok(())
	}

	/// Invariant 2: the issuer account holds the coins of the open requests.
	fn try_state_requests_are_held() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut held: BTreeMap<AssetId, Balance> = BTreeMap::new();
		for (_, request) in Withdrawals::<T>::iter() {
			let sum = held.entry(request.asset).or_default();
			*sum = sum.saturating_add(request.amount);
		}
		let assets: Vec<AssetId> = Gateways::<T>::iter_values().map(|g| g.asset).collect();
		for asset in assets {
			ensure!(
				T::Assets::balance(asset, &Self::account_id())
					>= held.get(&asset).copied().unwrap_or_default(),
				"the issuer account holds less than the open withdrawal requests"
			);
		}
		Ok(())
	}

	/// Invariant 3: the per-account index is the set of open requests.
	fn try_state_index_matches() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextWithdrawalId::<T>::get();
		let mut indexed = 0usize;
		for (who, ids) in WithdrawalsOf::<T>::iter() {
			for id in ids {
				let request = Withdrawals::<T>::get(id).ok_or("an indexed request is not open")?;
				ensure!(request.who == who, "a request is indexed under another account");
				indexed = indexed.saturating_add(1);
			}
		}
		let mut open = 0usize;
		for (id, _) in Withdrawals::<T>::iter() {
			ensure!(id < next, "a request id is not below NextWithdrawalId");
			open = open.saturating_add(1);
		}
		ensure!(open == indexed, "an open request is missing from its account's index");
		Ok(())
	}
}
