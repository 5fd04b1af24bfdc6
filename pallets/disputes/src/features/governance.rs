//! Appeals and governance: appealing a ruling, governance's decisions (appeals, disputes sent
//! to it, platform disputes and their compensation), the parameters.

use crate::{pallet::*, types::*, Balance};
use entrepot_primitives::{Escrow, OrderDisputes};
use frame_support::ensure;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_appeal(who: T::AccountId, dispute_id: DisputeId) -> DispatchResult {
		let mut dispute = Self::get_dispute(dispute_id)?;
		let side = dispute.side_of(&who).ok_or(Error::<T>::NotParty)?;
		let Stage::Ruled { arbiter, refund, appeal_by } = dispute.stage.clone() else {
			return Err(Error::<T>::NotRuled.into());
		};
		ensure!(dispute.favoured_by(refund) != side, Error::<T>::RulingFavoursCaller);
		let now = Self::now();
		ensure!(now < appeal_by, Error::<T>::AppealWindowClosed);
		// Held as the appellant's earlier deposit is, if it has one, so the two add up.
		let earlier = dispute.deposit_of(side);
		let only = (!earlier.is_zero()).then(|| earlier.held_in.clone());
		let deposit = Self::deposit_form(
			&who,
			&dispute.currency,
			Self::paid_in(dispute.order_id, side),
			&dispute.appellant_deposit(),
			only,
		)
		.ok_or(Error::<T>::InsufficientDeposit)?;
		let decide_by = Self::after(now, dispute.terms.decide_within)?;

		Self::take_deposit(&who, &dispute.currency, &deposit)?;
		Self::schedule(dispute_id, decide_by, DeadlineKind::Decision);
		dispute.stage = Stage::Appealed { arbiter, refund, appellant: side, decide_by };
		dispute.appeal_deposit = Some((side, deposit.clone()));
		Disputes::<T>::insert(dispute_id, dispute);
		Self::deposit_event(Event::Appealed { dispute_id, appellant: who, deposit, decide_by });
		Ok(())
	}

	pub(crate) fn do_decide(dispute_id: DisputeId, amount: Balance) -> DispatchResult {
		let dispute = Self::get_dispute(dispute_id)?;
		let now = Self::now();
		match dispute.stage.clone() {
			Stage::Appealed { arbiter, decide_by, .. } => {
				ensure!(now < decide_by, Error::<T>::DecisionWindowClosed);
				let side = dispute.favoured_by(amount);
				Self::resolve(
					dispute_id,
					dispute,
					Resolution::Appeal,
					amount,
					DepositOutcome::Favour { side, arbiter: Some(arbiter) },
				)
			},
			Stage::AwaitingGovernance { decide_by } => {
				ensure!(now < decide_by, Error::<T>::DecisionWindowClosed);
				if dispute.kind == DisputeKind::Platform {
					ensure!(
						amount <= Self::compensation_cap(&dispute),
						Error::<T>::CompensationAboveCap
					);
					Self::resolve_platform(dispute_id, dispute, Resolution::Compensation, amount)
				} else {
					let side = dispute.favoured_by(amount);
					Self::resolve(
						dispute_id,
						dispute,
						Resolution::Governance,
						amount,
						DepositOutcome::Favour { side, arbiter: None },
					)
				}
			},
			_ => Err(Error::<T>::NotAwaitingDecision.into()),
		}
	}

	/// The most governance may pay as the compensation of a platform dispute: the
	/// dispute's [`Dispute::max_compensation`] (the parameter when it was opened) of the
	/// platform fees taken on the order: as they are now while the order is open, as they
	/// were when the dispute was opened once it is archived.
	pub(crate) fn compensation_cap(dispute: &DisputeOf<T>) -> Balance {
		let fees = T::Orders::platform_fees(dispute.order_id)
			.unwrap_or_default()
			.max(dispute.order_fees);
		dispute.max_compensation.mul_floor(fees)
	}

	/// Ends a platform dispute: a non-zero `compensation` is paid to the opener from the
	/// platform fee account (through escrow) and the deposit returned; a decided compensation
	/// of zero forfeits the opener's deposit to the platform account; no decision returns it.
	pub(crate) fn resolve_platform(
		dispute_id: DisputeId,
		dispute: DisputeOf<T>,
		resolution: Resolution,
		compensation: Balance,
	) -> DispatchResult {
		let deposits = if compensation > 0 {
			T::Escrow::compensate(
				dispute.order_id,
				dispute.reference,
				dispute.account(dispute.opener),
				dispute.currency.clone(),
				compensation,
			)?;
			DepositOutcome::ReturnAll
		} else if resolution == Resolution::Compensation {
			DepositOutcome::Favour { side: dispute.opener.other(), arbiter: None }
		} else {
			DepositOutcome::ReturnAll
		};
		Self::settle_deposits(dispute_id, &dispute, deposits)?;
		Self::remove(dispute_id, &dispute);
		Self::deposit_event(Event::Resolved {
			dispute_id,
			order_id: dispute.order_id,
			reference: dispute.reference,
			resolution,
			frozen: 0,
			refund: 0,
			merchant_gross: 0,
			compensation,
		});
		Ok(())
	}

	pub(crate) fn do_set_params(params: DisputeParamsOf<T>) -> DispatchResult {
		ensure!(Self::params_valid(&params), Error::<T>::InvalidParams);
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
