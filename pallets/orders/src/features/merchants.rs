//! Merchants: registration with a deposit, policy updates, unregistration; policy bounds.

use crate::{pallet::*, types::*, CurrencyId};
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_merchant(who: T::AccountId, policy: PolicyOf<T>) -> DispatchResult {
		ensure!(!Merchants::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		Self::ensure_policy_valid(&policy)?;
		let deposit = T::MerchantDeposit::get();
		ensure!(
			Self::can_hold_deposit(&who, &CurrencyId::Native, deposit),
			Error::<T>::InsufficientDeposit
		);

		Self::hold_deposit(HoldReason::MerchantDeposit, &who, &CurrencyId::Native, deposit)?;
		Merchants::<T>::insert(&who, MerchantInfo { policy, deposit });
		Self::deposit_event(Event::MerchantRegistered { merchant: who, deposit });
		Ok(())
	}

	pub(crate) fn do_update_policy(who: T::AccountId, policy: PolicyOf<T>) -> DispatchResult {
		let mut info = Merchants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		Self::ensure_policy_valid(&policy)?;

		info.policy = policy;
		Merchants::<T>::insert(&who, info);
		Self::deposit_event(Event::PolicyUpdated { merchant: who });
		Ok(())
	}

	pub(crate) fn do_unregister_merchant(who: T::AccountId) -> DispatchResult {
		let info = Merchants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(
			OrdersOfMerchant::<T>::iter_prefix(&who).next().is_none(),
			Error::<T>::HasOpenOrders
		);

		if info.deposit > 0 {
			T::NativeBalance::release(
				&HoldReason::MerchantDeposit.into(),
				&who,
				info.deposit,
				Precision::BestEffort,
			)?;
		}
		Merchants::<T>::remove(&who);
		Self::deposit_event(Event::MerchantUnregistered { merchant: who, deposit: info.deposit });
		Ok(())
	}

	pub(crate) fn do_set_policy_bounds(bounds: PolicyBoundsOf<T>) -> DispatchResult {
		ensure!(Self::bounds_valid(&bounds), Error::<T>::InvalidBounds);

		PolicyBoundsInForce::<T>::put(bounds);
		Self::deposit_event(Event::PolicyBoundsSet { bounds });
		Ok(())
	}
}
