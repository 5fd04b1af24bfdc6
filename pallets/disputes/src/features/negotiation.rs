//! Negotiation: evidence, settlement proposals and their acceptance, escalation to
//! arbitration. The respondent engages (holds its deposit) by its first evidence, proposal or
//! escalation.

use crate::{pallet::*, types::*, Balance};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// Whether settlements can still be proposed and accepted: before a ruling, and never on
	/// platform disputes.
	pub(crate) fn negotiable(dispute: &DisputeOf<T>) -> bool {
		dispute.kind != DisputeKind::Platform
			&& matches!(
				dispute.stage,
				Stage::Negotiating { .. }
					| Stage::AwaitingArbiter { .. }
					| Stage::Arbitration { .. }
			)
	}

	pub(crate) fn do_submit_evidence(
		who: T::AccountId,
		dispute_id: DisputeId,
		evidence: Evidence,
	) -> DispatchResult {
		let mut dispute = Self::get_dispute(dispute_id)?;
		let side = dispute.side_of(&who).ok_or(Error::<T>::NotParty)?;
		let held = match side {
			Side::Customer => dispute.customer_evidence.len(),
			Side::Merchant => dispute.merchant_evidence.len(),
		};
		ensure!((held as u32) < T::MaxEvidence::get(), Error::<T>::TooMuchEvidence);
		Self::ensure_can_act(&dispute, side, Self::now())?;

		Self::engage_if_respondent(dispute_id, &mut dispute, side)?;
		let list = match side {
			Side::Customer => &mut dispute.customer_evidence,
			Side::Merchant => &mut dispute.merchant_evidence,
		};
		list.try_push(evidence).map_err(|_| Error::<T>::TooMuchEvidence)?;
		Disputes::<T>::insert(dispute_id, dispute);
		Self::deposit_event(Event::EvidenceSubmitted { dispute_id, by: who, evidence });
		Ok(())
	}

	pub(crate) fn do_propose_settlement(
		who: T::AccountId,
		dispute_id: DisputeId,
		refund: Balance,
	) -> DispatchResult {
		let mut dispute = Self::get_dispute(dispute_id)?;
		let side = dispute.side_of(&who).ok_or(Error::<T>::NotParty)?;
		ensure!(Self::negotiable(&dispute), Error::<T>::NotNegotiable);
		ensure!(refund <= dispute.frozen, Error::<T>::RefundExceedsFrozen);
		Self::ensure_can_act(&dispute, side, Self::now())?;

		Self::engage_if_respondent(dispute_id, &mut dispute, side)?;
		dispute.proposal = Some(Proposal { by: side, refund });
		Disputes::<T>::insert(dispute_id, dispute);
		Self::deposit_event(Event::SettlementProposed { dispute_id, by: who, refund });
		Ok(())
	}

	pub(crate) fn do_accept_settlement(who: T::AccountId, dispute_id: DisputeId) -> DispatchResult {
		let dispute = Self::get_dispute(dispute_id)?;
		let side = dispute.side_of(&who).ok_or(Error::<T>::NotParty)?;
		ensure!(Self::negotiable(&dispute), Error::<T>::NotNegotiable);
		let proposal = dispute.proposal.ok_or(Error::<T>::NoProposal)?;
		ensure!(proposal.by != side, Error::<T>::OwnProposal);
		Self::ensure_respondent_in_time(&dispute, side, Self::now())?;

		Self::resolve(
			dispute_id,
			dispute,
			Resolution::Settlement,
			proposal.refund,
			DepositOutcome::ReturnAll,
		)
	}

	pub(crate) fn do_escalate(who: T::AccountId, dispute_id: DisputeId) -> DispatchResult {
		let mut dispute = Self::get_dispute(dispute_id)?;
		let side = dispute.side_of(&who).ok_or(Error::<T>::NotParty)?;
		ensure!(matches!(dispute.stage, Stage::Negotiating { .. }), Error::<T>::NotNegotiating);
		let now = Self::now();
		Self::ensure_can_act(&dispute, side, now)?;

		Self::engage_if_respondent(dispute_id, &mut dispute, side)?;
		Self::escalate_now(dispute_id, &mut dispute, now, Some(who))?;
		Disputes::<T>::insert(dispute_id, dispute);
		Ok(())
	}

	/// Ends the negotiation: the arbiter is drawn [`Config::DrawDelay`] blocks later, from the
	/// hashes of the blocks in between (which neither the escalating transaction nor any single
	/// block author knows now).
	pub(crate) fn escalate_now(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		now: BlockNumberFor<T>,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		let draw_at = Self::after(now, T::DrawDelay::get())?;
		Self::schedule(dispute_id, draw_at, DeadlineKind::Draw);
		dispute.stage = Stage::AwaitingArbiter { draw_at };
		Self::deposit_event(Event::Escalated { dispute_id, by, draw_at });
		Ok(())
	}
}
