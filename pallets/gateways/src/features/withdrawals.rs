//! Money going out: payout destinations, withdrawal requests and their status machine.
//!
//! A request's coins move at once to the gateways account, which nobody can sign for; they are
//! burned there when the gateway completes the request, and moved back in full when it is
//! refunded, failed or cancelled. Every step is checked before anything is written.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_core::H256;
use sp_runtime::{traits::Saturating, DispatchError};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_destination(
		gateway: T::AccountId,
		who: T::AccountId,
		destination: H256,
	) -> DispatchResult {
		let info = Gateways::<T>::get(&gateway).ok_or(Error::<T>::NotAGateway)?;
		ensure!(info.status == GatewayStatus::Active, Error::<T>::GatewaySuspended);
		Destinations::<T>::try_mutate(&gateway, &who, |list| -> DispatchResult {
			ensure!(!list.contains(&destination), Error::<T>::DestinationAlreadyRegistered);
			list.try_push(destination).map_err(|_| Error::<T>::TooManyDestinations)?;
			Ok(())
		})?;
		Self::deposit_event(Event::DestinationRegistered { gateway, who, destination });
		Ok(())
	}

	pub(crate) fn do_remove_destination(
		gateway: T::AccountId,
		who: T::AccountId,
		destination: H256,
	) -> DispatchResult {
		Destinations::<T>::try_mutate_exists(&gateway, &who, |list| -> DispatchResult {
			let current = list.as_mut().ok_or(Error::<T>::DestinationNotRegistered)?;
			let position = current
				.iter()
				.position(|d| d == &destination)
				.ok_or(Error::<T>::DestinationNotRegistered)?;
			current.remove(position);
			if current.is_empty() {
				*list = None;
			}
			Ok(())
		})?;
		Self::deposit_event(Event::DestinationRemoved { gateway, who, destination });
		Ok(())
	}

	pub(crate) fn do_request_withdrawal(
		who: T::AccountId,
		gateway: T::AccountId,
		amount: Balance,
		destination: H256,
	) -> DispatchResult {
		let info = Gateways::<T>::get(&gateway).ok_or(Error::<T>::NotAGateway)?;
		ensure!(info.status == GatewayStatus::Active, Error::<T>::GatewaySuspended);
		ensure!(
			Destinations::<T>::get(&gateway, &who).contains(&destination),
			Error::<T>::DestinationNotRegistered
		);
		let asset = info.asset;
		let minimum = T::Assets::minimum_balance(asset).max(1);
		ensure!(amount >= minimum, Error::<T>::BelowMinimum);
		let free =
			T::Assets::reducible_balance(asset, &who, Preservation::Expendable, Fortitude::Polite);
		let rest = free.checked_sub(amount).ok_or(Error::<T>::InsufficientBalance)?;
		// A remainder below the minimum would be swept away with the account: refuse it rather
		// than move or lose more than was asked.
		ensure!(rest == 0 || rest >= minimum, Error::<T>::WouldLeaveDust);
		let id = NextWithdrawalId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut open = WithdrawalsOf::<T>::get(&who);
		open.try_push(id).map_err(|_| Error::<T>::TooManyWithdrawals)?;

		T::Assets::transfer(asset, &who, &Self::account_id(), amount, Preservation::Expendable)?;
		NextWithdrawalId::<T>::put(next);
		WithdrawalsOf::<T>::insert(&who, open);
		Withdrawals::<T>::insert(
			id,
			Withdrawal {
				who: who.clone(),
				gateway: gateway.clone(),
				asset,
				amount,
				destination,
				status: WithdrawalStatus::Requested,
				since: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::WithdrawalRequested {
			id,
			gateway,
			who,
			asset,
			amount,
			destination,
		});
		Ok(())
	}

	pub(crate) fn do_start_withdrawal(gateway: T::AccountId, id: WithdrawalId) -> DispatchResult {
		let mut request = Self::request_of_gateway(&gateway, id)?;
		ensure!(request.status == WithdrawalStatus::Requested, Error::<T>::WrongStatus);
		request.status = WithdrawalStatus::Processing;
		request.since = frame_system::Pallet::<T>::block_number();
		Withdrawals::<T>::insert(id, request);
		Self::deposit_event(Event::WithdrawalProcessing { id, gateway });
		Ok(())
	}

	pub(crate) fn do_complete_withdrawal(
		gateway: T::AccountId,
		id: WithdrawalId,
		payout: H256,
	) -> DispatchResult {
		let request = Self::request_of_gateway(&gateway, id)?;
		ensure!(request.status == WithdrawalStatus::Processing, Error::<T>::WrongStatus);
		let mut info = Gateways::<T>::get(&gateway).ok_or(Error::<T>::NotAGateway)?;
		// The request's coins are part of what the gateway has outstanding (invariant 1).
		info.outstanding =
			info.outstanding.checked_sub(request.amount).ok_or(Error::<T>::Overflow)?;

		T::Assets::burn_from(
			request.asset,
			&Self::account_id(),
			request.amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Gateways::<T>::insert(&gateway, info);
		Self::close(id, &request.who);
		Self::deposit_event(Event::WithdrawalCompleted {
			id,
			gateway,
			who: request.who,
			asset: request.asset,
			amount: request.amount,
			payout,
		});
		Ok(())
	}

	pub(crate) fn do_return_withdrawal(
		gateway: T::AccountId,
		id: WithdrawalId,
		outcome: Outcome,
	) -> DispatchResult {
		let request = Self::request_of_gateway(&gateway, id)?;
		Self::give_back(id, request, outcome)
	}

	pub(crate) fn do_cancel_withdrawal(who: T::AccountId, id: WithdrawalId) -> DispatchResult {
		let request = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownWithdrawal)?;
		ensure!(request.who == who, Error::<T>::NotYourWithdrawal);
		ensure!(request.status == WithdrawalStatus::Requested, Error::<T>::WrongStatus);
		let timeout = GatewayParams::<T>::get().withdrawal_timeout;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= request.since.saturating_add(timeout),
			Error::<T>::NotYetCancellable
		);
		Self::give_back(id, request, Outcome::Cancelled)
	}

	pub(crate) fn do_force_refund_withdrawal(id: WithdrawalId, reason: Reason) -> DispatchResult {
		let request = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownWithdrawal)?;
		Self::give_back(id, request, Outcome::Refunded(reason))
	}

	/// The open request `id`, if `gateway` is its gateway.
	fn request_of_gateway(
		gateway: &T::AccountId,
		id: WithdrawalId,
	) -> Result<WithdrawalOf<T>, DispatchError> {
		let request = Withdrawals::<T>::get(id).ok_or(Error::<T>::UnknownWithdrawal)?;
		ensure!(&request.gateway == gateway, Error::<T>::NotYourGateway);
		Ok(request)
	}

	/// Moves a request's coins back to its account in full and closes it.
	fn give_back(id: WithdrawalId, request: WithdrawalOf<T>, outcome: Outcome) -> DispatchResult {
		T::Assets::transfer(
			request.asset,
			&Self::account_id(),
			&request.who,
			request.amount,
			Preservation::Expendable,
		)?;
		Self::close(id, &request.who);
		let Withdrawal { who, gateway, asset, amount, .. } = request;
		Self::deposit_event(match outcome {
			Outcome::Refunded(reason) => {
				Event::WithdrawalRefunded { id, gateway, who, asset, amount, reason }
			},
			Outcome::Failed(reason) => {
				Event::WithdrawalFailed { id, gateway, who, asset, amount, reason }
			},
			Outcome::Cancelled => Event::WithdrawalCancelled { id, gateway, who, asset, amount },
		});
		Ok(())
	}

	/// Removes a request and its entry in its account's index.
	fn close(id: WithdrawalId, who: &T::AccountId) {
		Withdrawals::<T>::remove(id);
		WithdrawalsOf::<T>::mutate_exists(who, |open| {
			if let Some(list) = open {
				list.retain(|other| *other != id);
				if list.is_empty() {
					*open = None;
				}
			}
		});
	}
}
