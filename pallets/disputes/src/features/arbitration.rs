//! Arbitration: the arbiter set, the draw, rulings and missed ruling deadlines.
//!
//! An arbiter is drawn [`Config::DrawDelay`] blocks after the escalation, from
//! `blake2_256(hashes of the DrawDelay blocks before the draw ++ dispute id)` over the arbiter
//! set, skipping the dispute's parties and the arbiters who already missed on it.
//!
//! Neither party chooses: the escalating transaction cannot know the hashes of the blocks
//! after it. No single block author chooses either: with a delay of at least the number of
//! validators, the seed mixes blocks of every validator (Aura authors in turn), and all but the
//! last of them are fixed before the last is authored. The residual bias: the author of the
//! block just before the draw sees every other input and can try different contents for its
//! own block (or skip its slot) to steer the seed among the eligible arbiters. A validator
//! doing so must also be colluding with a party and would leave an attributable trail (its
//! block, the draw); validators are appointed and removed by governance. Commit-reveal by the
//! parties would remove even this, at the cost of a step a silent party could block.

use crate::{features::Branch, pallet::*, types::*, Balance};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_arbiter(who: T::AccountId) -> DispatchResult {
		Arbiters::<T>::try_mutate(|arbiters| -> DispatchResult {
			ensure!(!arbiters.contains(&who), Error::<T>::AlreadyArbiter);
			arbiters.try_push(who.clone()).map_err(|_| Error::<T>::TooManyArbiters)?;
			Ok(())
		})?;
		Self::deposit_event(Event::ArbiterAdded { arbiter: who });
		Ok(())
	}

	pub(crate) fn do_remove_arbiter(who: T::AccountId) -> DispatchResult {
		Arbiters::<T>::try_mutate(|arbiters| -> DispatchResult {
			let index = arbiters.iter().position(|a| *a == who).ok_or(Error::<T>::NotArbiter)?;
			arbiters.remove(index);
			Ok(())
		})?;
		ArbiterMisses::<T>::remove(&who);
		Self::deposit_event(Event::ArbiterRemoved { arbiter: who });
		Ok(())
	}

	pub(crate) fn do_rule(
		who: T::AccountId,
		dispute_id: DisputeId,
		refund: Balance,
	) -> DispatchResult {
		let mut dispute = Self::get_dispute(dispute_id)?;
		let Stage::Arbitration { arbiter, rule_by } = dispute.stage.clone() else {
			return Err(Error::<T>::NotInArbitration.into());
		};
		ensure!(arbiter == who, Error::<T>::NotAssignedArbiter);
		ensure!(Arbiters::<T>::get().contains(&who), Error::<T>::NotArbiter);
		let now = Self::now();
		ensure!(now < rule_by, Error::<T>::RulingWindowClosed);
		ensure!(refund <= dispute.frozen, Error::<T>::RefundExceedsFrozen);
		let appeal_by = Self::after(now, dispute.terms.appeal_within)?;

		Self::schedule(dispute_id, appeal_by, DeadlineKind::Appeal);
		ArbiterCases::<T>::remove(&who, dispute_id);
		dispute.stage = Stage::Ruled { arbiter: who.clone(), refund, appeal_by };
		dispute.proposal = None;
		Disputes::<T>::insert(dispute_id, dispute);
		Self::deposit_event(Event::Ruled { dispute_id, arbiter: who, refund, appeal_by });
		Ok(())
	}

	/// Which of `count` eligible arbiters the dispute draws now: `blake2_256` of the hashes of
	/// the last [`Config::DrawDelay`] blocks and the dispute id, read as a little-endian
	/// `u64`, modulo `count`. `None` if nobody is eligible.
	pub(crate) fn draw_index(dispute_id: DisputeId, count: usize) -> Option<usize> {
		let count = u64::try_from(count).ok().filter(|c| *c > 0)?;
		let now = Self::now();
		let mut hashes = Vec::new();
		let mut n = now;
		while now.saturating_sub(n) < T::DrawDelay::get() && !n.is_zero() {
			n = n.saturating_sub(One::one());
			hashes.push(frame_system::Pallet::<T>::block_hash(n));
		}
		let seed = (hashes, dispute_id).using_encoded(sp_io::hashing::blake2_256);
		let n = u64::decode(&mut &seed[..]).unwrap_or_default();
		n.checked_rem(count).and_then(|i| usize::try_from(i).ok())
	}

	/// Draws an arbiter for the dispute and assigns it (returns `true`), or, if no arbiter is
	/// eligible, sends the dispute to governance (returns `false`).
	pub(crate) fn draw(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		now: BlockNumberFor<T>,
	) -> Result<bool, DispatchError> {
		let arbiters = Arbiters::<T>::get();
		let eligible: Vec<&T::AccountId> = arbiters
			.iter()
			.filter(|a| {
				**a != dispute.customer && **a != dispute.merchant && !dispute.missed.contains(a)
			})
			.collect();
		let drawn = Self::draw_index(dispute_id, eligible.len())
			.and_then(|i| eligible.get(i).map(|a| (*a).clone()));
		let Some(arbiter) = drawn else {
			Self::send_to_governance(dispute_id, dispute, now)?;
			return Ok(false);
		};
		let rule_by = Self::after(now, dispute.terms.ruling_within)?;
		Self::schedule(dispute_id, rule_by, DeadlineKind::Ruling);
		ArbiterCases::<T>::insert(&arbiter, dispute_id, ());
		dispute.stage = Stage::Arbitration { arbiter: arbiter.clone(), rule_by };
		Self::deposit_event(Event::ArbiterAssigned { dispute_id, arbiter, rule_by });
		Ok(true)
	}

	/// The assigned arbiter did not rule by `rule_by`. A current arbiter's miss is recorded
	/// (it is not drawn again for this dispute); a removed arbiter is replaced without a miss.
	/// After [`Config::MaxReassignments`] misses the dispute goes to governance, otherwise
	/// another arbiter is drawn.
	pub(crate) fn ruling_missed(
		dispute_id: DisputeId,
		mut dispute: DisputeOf<T>,
		arbiter: T::AccountId,
		now: BlockNumberFor<T>,
	) -> Result<Branch, DispatchError> {
		ArbiterCases::<T>::remove(&arbiter, dispute_id);
		let branch = if Arbiters::<T>::get().contains(&arbiter) {
			ArbiterMisses::<T>::mutate(&arbiter, |m| *m = Some(m.unwrap_or(0).saturating_add(1)));
			// Full only if MaxReassignments was lowered under this dispute: then it is over.
			let recorded = dispute.missed.try_push(arbiter.clone()).is_ok();
			let misses = dispute.missed.len() as u32;
			Self::deposit_event(Event::ArbiterMissedDeadline { dispute_id, arbiter, misses });
			if !recorded || misses >= T::MaxReassignments::get() {
				Self::send_to_governance(dispute_id, &mut dispute, now)?;
				Branch::MissesToGovernance
			} else {
				Self::draw(dispute_id, &mut dispute, now)?;
				Branch::Redrawn
			}
		} else {
			Self::deposit_event(Event::ArbiterWithdrawn { dispute_id, arbiter });
			Self::draw(dispute_id, &mut dispute, now)?;
			Branch::Redrawn
		};
		Disputes::<T>::insert(dispute_id, dispute);
		Ok(branch)
	}
}
