//! Money coming in: a gateway's deposits, within its limits and its attested reserves.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{DepositConsequence, Provenance},
	},
};
use sp_core::H256;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_deposit(
		gateway: T::AccountId,
		beneficiary: T::AccountId,
		amount: Balance,
		reference: H256,
	) -> DispatchResult {
		let mut info = Gateways::<T>::get(&gateway).ok_or(Error::<T>::NotAGateway)?;
		ensure!(info.status == GatewayStatus::Active, Error::<T>::GatewaySuspended);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(amount <= info.limits.per_deposit, Error::<T>::AboveDepositLimit);

		let now = frame_system::Pallet::<T>::block_number();
		let window = Self::day_window(now);
		if info.window_start != window {
			info.window_start = window;
			info.minted_in_window = 0;
		}
		let minted = info.minted_in_window.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		ensure!(minted <= info.limits.per_day, Error::<T>::AboveDailyLimit);
		let outstanding = info.outstanding.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		ensure!(outstanding <= info.limits.outstanding, Error::<T>::AboveOutstandingLimit);
		Self::ensure_reserves_cover(&info, outstanding, now)?;
		ensure!(
			!DepositReferences::<T>::contains_key(&gateway, reference),
			Error::<T>::DuplicateReference
		);
		ensure!(
			T::Assets::can_deposit(info.asset, &beneficiary, amount, Provenance::Minted)
				== DepositConsequence::Success,
			Error::<T>::CannotReceive
		);

		T::Assets::mint_into(info.asset, &beneficiary, amount)?;
		info.minted_in_window = minted;
		info.outstanding = outstanding;
		let asset = info.asset;
		Gateways::<T>::insert(&gateway, info);
		DepositReferences::<T>::insert(&gateway, reference, now);
		Self::deposit_event(Event::Deposited { gateway, asset, beneficiary, amount, reference });
		Ok(())
	}

	pub(crate) fn do_attest_reserves(
		gateway: T::AccountId,
		amount: Balance,
		document: H256,
	) -> DispatchResult {
		let at = frame_system::Pallet::<T>::block_number();
		let asset = Gateways::<T>::try_mutate(&gateway, |info| {
			let info = info.as_mut().ok_or(Error::<T>::NotAGateway)?;
			info.attestation = Some(Attestation { amount, document, at });
			Ok::<_, Error<T>>(info.asset)
		})?;
		Self::deposit_event(Event::ReservesAttested { gateway, asset, amount, document });
		Ok(())
	}
}
