//! Deadlines: every stage's default outcome is applied by the chain itself, and anyone may
//! fire an overdue one.
//!
//! An open dispute has exactly one deadline, its current stage's ([`Dispute::deadline`]),
//! kept in the [`entrepot_primitives::DueQueue`] of [`Deadlines`], [`DeadlineAt`] and
//! [`DeadlineCursor`]; moving to another stage replaces it and the end of the dispute removes
//! it. Due deadlines are fired oldest first: within [`Config::MaxDeadlineWeight`] in
//! `on_initialize` (deadlines are promises to both parties, kept even in full blocks), then
//! with what the block leaves in `on_idle`; what no budget reached goes first in the next
//! block. [`Pallet::poke`] fires an overdue deadline at once.
//!
//! A deadline whose action fails changes nothing (its own storage layer) and is retried after
//! [`Config::RetryDelay`]; after [`Config::MaxDeadlineFailures`] failures the dispute ends
//! undecided: every deposit goes back and the order resumes its own rules (which have their own
//! last resort). Nothing due is ever dropped.

use crate::impls::DeadlineQueue;
use crate::{pallet::*, types::*, WeightInfo};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	storage::with_storage_layer,
	traits::Get,
	weights::Weight,
};
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
	/// The respondent stayed silent: escalated to arbitration.
	SilenceEscalated,
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
	/// Governance did not decide: the order resumed its own rules.
	Undecided,
	/// Governance did not decide a platform dispute: no compensation, deposit returned.
	PlatformLapsed,
}

impl<T: Config> Pallet<T> {
	/// Fires due deadlines within `budget`; returns the weight used.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>, budget: Weight) -> Weight {
		if DeadlineCursor::<T>::get().is_zero() {
			// Nothing was ever scheduled (scheduling sets the cursor): a pallet added to a
			// running chain does not walk every past block.
			return T::DbWeight::get().reads(1);
		}
		DeadlineQueue::<T>::process(
			now,
			budget,
			Self::heaviest_deadline(),
			T::DbWeight::get(),
			|dispute_id, deadline| Self::process_deadline(dispute_id, deadline, now),
		)
	}

	pub(crate) fn do_poke(dispute_id: DisputeId) -> DispatchResultWithPostInfo {
		ensure!(Disputes::<T>::contains_key(dispute_id), Error::<T>::DisputeNotFound);
		let now = Self::now();
		let (_, deadline) =
			DeadlineQueue::<T>::take_due(&dispute_id, now).ok_or(Error::<T>::NothingDue)?;

		// A deadline is never due before its stage's: it acts. If it did not, the whole call
		// fails and the deadline stays where it was.
		let branch = Self::fire(dispute_id, deadline.kind, now)?;
		ensure!(branch != Branch::Stale, Error::<T>::NothingDue);
		let used = Self::branch_weight(branch)
			.saturating_add(DeadlineQueue::<T>::per_item(T::DbWeight::get()));
		Ok(PostDispatchInfo {
			actual_weight: Some(T::WeightInfo::poke().max(Self::heaviest_deadline()).min(used)),
			pays_fee: frame_support::dispatch::Pays::Yes,
		})
	}

	/// Applies one deadline; a failed action is retried after [`Config::RetryDelay`], or,
	/// after [`Config::MaxDeadlineFailures`] failures, the dispute ends undecided. Returns the
	/// weight of the branch taken.
	pub(crate) fn process_deadline(
		dispute_id: DisputeId,
		deadline: Deadline,
		now: BlockNumberFor<T>,
	) -> Weight {
		let error = match with_storage_layer(|| Self::fire(dispute_id, deadline.kind, now)) {
			Ok(branch) => return Self::branch_weight(branch),
			Err(error) => error,
		};
		let failures = deadline.failures.saturating_add(1);
		if failures >= T::MaxDeadlineFailures::get() {
			let dropped = with_storage_layer(|| {
				let dispute = Self::get_dispute(dispute_id)?;
				Self::drop_undecided(dispute_id, dispute)
			});
			// Dropping fails only while the order itself cannot resume (it keeps being retried
			// and reported).
			if dropped.is_ok() {
				return Self::kind_weight(deadline.kind)
					.saturating_add(T::WeightInfo::deadline_governance());
			}
		}
		let retry_at = now.saturating_add(T::RetryDelay::get());
		DeadlineQueue::<T>::schedule(
			dispute_id,
			retry_at,
			Deadline { kind: deadline.kind, failures },
		);
		Self::deposit_event(Event::DeadlineFailed {
			dispute_id,
			kind: deadline.kind,
			error,
			failures,
			retry_at,
		});
		Self::kind_weight(deadline.kind)
	}

	pub(crate) fn branch_weight(branch: Branch) -> Weight {
		match branch {
			Branch::Stale => T::WeightInfo::deadline_stale(),
			Branch::SilenceEscalated => T::WeightInfo::deadline_response(),
			Branch::Escalated => T::WeightInfo::deadline_negotiation(),
			Branch::Drawn => T::WeightInfo::deadline_draw(),
			Branch::NoArbiter => T::WeightInfo::deadline_draw_none(),
			Branch::Redrawn => T::WeightInfo::deadline_ruling_redraw(),
			Branch::MissesToGovernance => T::WeightInfo::deadline_ruling_to_governance(),
			Branch::RulingExecuted => T::WeightInfo::deadline_appeal(),
			Branch::RulingStands => T::WeightInfo::deadline_appealed(),
			Branch::Undecided => T::WeightInfo::deadline_governance(),
			Branch::PlatformLapsed => T::WeightInfo::deadline_platform(),
		}
	}

	/// The heaviest branch a deadline of `kind` can take (charged when its action failed).
	fn kind_weight(kind: DeadlineKind) -> Weight {
		let branches: &[Branch] = match kind {
			DeadlineKind::Response => &[Branch::SilenceEscalated],
			DeadlineKind::Negotiation => &[Branch::Escalated],
			DeadlineKind::Draw => &[Branch::Drawn, Branch::NoArbiter],
			DeadlineKind::Ruling => &[Branch::Redrawn, Branch::MissesToGovernance],
			DeadlineKind::Appeal => &[Branch::RulingExecuted],
			DeadlineKind::Decision => {
				&[Branch::RulingStands, Branch::Undecided, Branch::PlatformLapsed]
			},
		};
		branches
			.iter()
			.map(|b| Self::branch_weight(*b))
			.fold(T::WeightInfo::deadline_stale(), |a, b| a.max(b))
	}

	/// The heaviest thing firing one deadline can do: its action, failing, and then dropping
	/// the dispute undecided.
	pub(crate) fn heaviest_deadline() -> Weight {
		[
			DeadlineKind::Response,
			DeadlineKind::Negotiation,
			DeadlineKind::Draw,
			DeadlineKind::Ruling,
			DeadlineKind::Appeal,
			DeadlineKind::Decision,
		]
		.into_iter()
		.map(Self::kind_weight)
		.fold(Weight::zero(), |a, b| a.max(b))
		.saturating_add(T::WeightInfo::deadline_governance())
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
				// Silence wins nothing: an arbiter decides.
				Self::escalate_now(dispute_id, &mut dispute, now, None)?;
				Disputes::<T>::insert(dispute_id, dispute);
				Ok(Branch::SilenceEscalated)
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
				let branch = if dispute.kind == DisputeKind::Platform {
					Branch::PlatformLapsed
				} else {
					Branch::Undecided
				};
				// Nobody decided: nobody wins by the dispute having been opened.
				Self::drop_undecided(dispute_id, dispute)?;
				Ok(branch)
			},
			_ => Ok(Branch::Stale),
		}
	}
}
