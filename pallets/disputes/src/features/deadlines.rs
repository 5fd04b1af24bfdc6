//! Deadlines: every stage's default outcome is applied by the chain itself in
//! `on_initialize`.
//!
//! Deadlines live in [`Deadlines`] by the block they are due in; [`DeadlineCursor`] is the
//! oldest block not fully processed. Each block processes at most
//! [`Config::MaxDeadlinesPerBlock`] deadlines (and looks at as many blocks); what is left stays
//! in place and is processed first in the next block, so nothing overdue is ever skipped. A
//! deadline whose dispute has moved on (another stage, or a later deadline) is ignored. A
//! deadline whose action fails changes nothing (its own storage layer) and is retried after
//! [`Config::RetryDelay`].
//!
//! `on_initialize` rather than `on_idle`: deadlines are promises to both parties and must be
//! kept even in full blocks; the per-block bound keeps the hook's weight known in advance.

use crate::impls::DeadlineQueue;
use crate::{pallet::*, types::*, WeightInfo};
use frame_support::{storage::with_storage_layer, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

/// What a deadline did; each branch has its own benchmarked weight.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Branch {
	/// The dispute had moved on: nothing to do.
	Stale,
	/// The respondent stayed silent: decided for the opener.
	Silence,
	/// The negotiation window closed: escalated.
	Escalated,
	/// An arbiter was drawn.
	Drawn,
	/// No arbiter was eligible: sent to governance.
	NoArbiter,
	/// The arbiter missed its deadline (or was removed): another one was drawn.
	Redrawn,
	/// Too many arbiters missed: sent to governance.
	MissesToGovernance,
	/// Nobody appealed: the ruling was executed.
	RulingExecuted,
	/// Governance did not decide an appeal: the ruling stood.
	RulingStands,
	/// Governance did not decide: the opener won.
	GovernanceDefault,
	/// Governance did not decide a platform dispute: no compensation, deposit returned.
	PlatformLapsed,
}

impl<T: Config> Pallet<T> {
	/// Processes the due deadlines; returns the weight used.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let max = T::MaxDeadlinesPerBlock::get();
		let mut weight = T::WeightInfo::on_initialize_idle();
		if DeadlineCursor::<T>::get().is_zero() {
			// Nothing was ever scheduled (scheduling sets the cursor).
			return weight;
		}
		weight.saturating_accrue(DeadlineQueue::<T>::process(
			now,
			max,
			T::DbWeight::get(),
			|(dispute_id, kind)| Self::process_deadline(dispute_id, kind, now),
		));
		weight
	}

	/// Applies one deadline; a failed action is retried after [`Config::RetryDelay`]. Returns
	/// the weight of the branch taken.
	pub(crate) fn process_deadline(
		dispute_id: DisputeId,
		kind: DeadlineKind,
		now: BlockNumberFor<T>,
	) -> Weight {
		match with_storage_layer(|| Self::fire(dispute_id, kind, now)) {
			Ok(branch) => Self::branch_weight(branch),
			Err(error) => {
				let retry_at = now.saturating_add(T::RetryDelay::get());
				match Self::schedule(retry_at, dispute_id, kind) {
					Ok(retry_at) => Self::deposit_event(Event::DeadlineFailed {
						dispute_id,
						kind,
						error,
						retry_at,
					}),
					Err(_) => {
						frame_support::defensive!("no room to retry a failed deadline");
					},
				}
				Self::kind_weight(kind)
			},
		}
	}

	pub(crate) fn branch_weight(branch: Branch) -> Weight {
		match branch {
			Branch::Stale => T::WeightInfo::deadline_stale(),
			Branch::Silence => T::WeightInfo::deadline_response(),
			Branch::Escalated => T::WeightInfo::deadline_negotiation(),
			Branch::Drawn => T::WeightInfo::deadline_draw(),
			Branch::NoArbiter => T::WeightInfo::deadline_draw_none(),
			Branch::Redrawn => T::WeightInfo::deadline_ruling_redraw(),
			Branch::MissesToGovernance => T::WeightInfo::deadline_ruling_to_governance(),
			Branch::RulingExecuted => T::WeightInfo::deadline_appeal(),
			Branch::RulingStands => T::WeightInfo::deadline_appealed(),
			Branch::GovernanceDefault => T::WeightInfo::deadline_governance(),
			Branch::PlatformLapsed => T::WeightInfo::deadline_platform(),
		}
	}

	/// The heaviest branch a deadline of `kind` can take (charged when its action failed).
	fn kind_weight(kind: DeadlineKind) -> Weight {
		let branches: &[Branch] = match kind {
			DeadlineKind::Response => &[Branch::Silence],
			DeadlineKind::Negotiation => &[Branch::Escalated],
			DeadlineKind::Draw => &[Branch::Drawn, Branch::NoArbiter],
			DeadlineKind::Ruling => &[Branch::Redrawn, Branch::MissesToGovernance],
			DeadlineKind::Appeal => &[Branch::RulingExecuted],
			DeadlineKind::Decision => {
				&[Branch::RulingStands, Branch::GovernanceDefault, Branch::PlatformLapsed]
			},
		};
		branches
			.iter()
			.map(|b| Self::branch_weight(*b))
			.fold(T::WeightInfo::deadline_stale(), |a, b| a.max(b))
	}

	/// What `on_initialize` can take at most: `MaxDeadlinesPerBlock` deadlines of the most
	/// expensive kind (with a retry scheduled), plus the slots it looks at on the way.
	pub(crate) fn worst_case_deadlines_weight() -> Weight {
		let heaviest = [
			DeadlineKind::Response,
			DeadlineKind::Negotiation,
			DeadlineKind::Draw,
			DeadlineKind::Ruling,
			DeadlineKind::Appeal,
			DeadlineKind::Decision,
		]
		.into_iter()
		.map(Self::kind_weight)
		.fold(Weight::zero(), |a, b| a.max(b));
		// One read and one write per deadline more than the queue's own: the margin this
		// check has always kept.
		let heaviest = heaviest.saturating_add(T::DbWeight::get().reads_writes(1, 1));
		let max = T::MaxDeadlinesPerBlock::get();
		T::WeightInfo::on_initialize_idle().saturating_add(DeadlineQueue::<T>::worst_case(
			max,
			T::DbWeight::get(),
			heaviest,
		))
	}

	/// Applies a deadline's default outcome if its dispute is still in the stage it was set
	/// for and the deadline has come. Returns the branch taken.
	pub(crate) fn fire(
		dispute_id: DisputeId,
		kind: DeadlineKind,
		now: BlockNumberFor<T>,
	) -> Result<Branch, DispatchError> {
		let Some(mut dispute) = Disputes::<T>::get(dispute_id) else { return Ok(Branch::Stale) };
		match (kind, dispute.stage.clone()) {
			(DeadlineKind::Response, Stage::Negotiating { respond_by, .. })
				if !dispute.respondent_engaged && respond_by <= now =>
			{
				let refund = dispute.opener_wins_refund();
				Self::resolve(
					dispute_id,
					dispute,
					Resolution::Silence,
					refund,
					DepositOutcome::ReturnAll,
				)?;
				Ok(Branch::Silence)
			},
			(DeadlineKind::Negotiation, Stage::Negotiating { negotiate_by, .. })
				if dispute.respondent_engaged && negotiate_by <= now =>
			{
				Self::escalate_now(dispute_id, &mut dispute, now, None)?;
				Disputes::<T>::insert(dispute_id, dispute);
				Ok(Branch::Escalated)
			},
			(DeadlineKind::Draw, Stage::AwaitingArbiter { draw_at }) if draw_at <= now => {
				let drawn = Self::draw(dispute_id, &mut dispute, now)?;
				Disputes::<T>::insert(dispute_id, dispute);
				Ok(if drawn { Branch::Drawn } else { Branch::NoArbiter })
			},
			(DeadlineKind::Ruling, Stage::Arbitration { arbiter, rule_by }) if rule_by <= now => {
				Self::ruling_missed(dispute_id, dispute, arbiter, now)
			},
			(DeadlineKind::Appeal, Stage::Ruled { arbiter, refund, appeal_by })
				if appeal_by <= now =>
			{
				let side = dispute.favoured_by(refund);
				Self::resolve(
					dispute_id,
					dispute,
					Resolution::Ruling,
					refund,
					DepositOutcome::Favour { side, arbiter: Some(arbiter) },
				)?;
				Ok(Branch::RulingExecuted)
			},
			(DeadlineKind::Decision, Stage::Appealed { arbiter, refund, decide_by, .. })
				if decide_by <= now =>
			{
				let side = dispute.favoured_by(refund);
				Self::resolve(
					dispute_id,
					dispute,
					Resolution::RulingStands,
					refund,
					DepositOutcome::Favour { side, arbiter: Some(arbiter) },
				)?;
				Ok(Branch::RulingStands)
			},
			(DeadlineKind::Decision, Stage::AwaitingGovernance { decide_by })
				if decide_by <= now =>
			{
				if dispute.kind == DisputeKind::Platform {
					Self::resolve_platform(dispute_id, dispute, Resolution::NoDecision, 0)?;
					Ok(Branch::PlatformLapsed)
				} else {
					let refund = dispute.opener_wins_refund();
					let side = dispute.opener;
					Self::resolve(
						dispute_id,
						dispute,
						Resolution::Default,
						refund,
						DepositOutcome::Favour { side, arbiter: None },
					)?;
					Ok(Branch::GovernanceDefault)
				}
			},
			_ => Ok(Branch::Stale),
		}
	}
}
