//! Shared internals of the disputes pallet: reads and queries, checks, the steps every feature
//! ends with (hold a deposit, schedule a deadline, send to governance, resolve), and the
//! `try_state` invariants.

use crate::{pallet::*, types::*, Balance, OrderId};
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use entrepot_primitives::{index_page, DueQueue, OrderDisputes};
use frame_support::{
	ensure,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, One, Saturating, Zero},
	DispatchResult,
};

/// How many blocks past the wanted one a deadline may spill into when blocks are full.
pub(crate) const MAX_DEADLINE_SPILL: u32 = 64;

/// The deadline queue: [`Deadlines`] by block and [`DeadlineCursor`].
pub(crate) type DeadlineQueue<T> = DueQueue<
	BlockNumberFor<T>,
	(DisputeId, DeadlineKind),
	<T as Config>::MaxDeadlinesPerBlock,
	Deadlines<T>,
	DeadlineCursor<T>,
>;

impl<T: Config> Pallet<T> {
	// ---- Reads and queries -------------------------------------------------------------------

	/// An open dispute (runtime API helper).
	pub fn dispute(dispute_id: DisputeId) -> Option<DisputeOf<T>> {
		Disputes::<T>::get(dispute_id)
	}

	/// The open dispute of an order, if any (runtime API helper): the one about its money if
	/// there is one, else its platform dispute.
	pub fn dispute_of_order(order_id: OrderId) -> Option<(DisputeId, DisputeOf<T>)> {
		let id = DisputeOfOrder::<T>::get(order_id)
			.or_else(|| PlatformDisputeOfOrder::<T>::get(order_id))?;
		Disputes::<T>::get(id).map(|d| (id, d))
	}

	/// The disputes an arbiter is assigned to and has not ruled yet (runtime API helper).
	pub fn arbiter_cases(arbiter: T::AccountId) -> Vec<(DisputeId, DisputeOf<T>)> {
		ArbiterCases::<T>::iter_key_prefix(&arbiter)
			.filter_map(|id| Disputes::<T>::get(id).map(|d| (id, d)))
			.collect()
	}

	/// A page of a party's open disputes, in storage order, after `start_after` (runtime API
	/// helper). At most [`Config::MaxPageSize`] disputes.
	pub fn disputes_of(
		party: T::AccountId,
		start_after: Option<DisputeId>,
		limit: u32,
	) -> Vec<(DisputeId, DisputeOf<T>)> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids = index_page::<DisputesOfParty<T>, _, _>(&party, start_after, limit);
		ids.into_iter()
			.filter_map(|id| Disputes::<T>::get(id).map(|d| (id, d)))
			.collect()
	}

	/// The current arbiters (runtime API helper).
	pub fn arbiters() -> Vec<T::AccountId> {
		Arbiters::<T>::get().into_inner()
	}

	/// The parameters in force (runtime API helper).
	pub fn params() -> DisputeParamsOf<T> {
		Params::<T>::get()
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	pub(crate) fn after(
		now: BlockNumberFor<T>,
		window: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		now.checked_add(&window).ok_or(Error::<T>::Overflow)
	}

	pub(crate) fn get_dispute(dispute_id: DisputeId) -> Result<DisputeOf<T>, Error<T>> {
		Disputes::<T>::get(dispute_id).ok_or(Error::<T>::DisputeNotFound)
	}

	// ---- Checks ------------------------------------------------------------------------------

	/// Every window non-zero, and no negotiation window shorter than its response window.
	pub(crate) fn params_valid(params: &DisputeParamsOf<T>) -> bool {
		[params.agreement, params.after_sales, params.platform].iter().all(|k| {
			[k.response_within, k.negotiation_within, k.ruling_within, k.appeal_within]
				.iter()
				.chain(core::iter::once(&k.decide_within))
				.all(|w| !w.is_zero())
				&& k.negotiation_within >= k.response_within
		})
	}

	/// Whether `who` can have `amount` more held as a dispute deposit.
	pub(crate) fn can_hold_deposit(who: &T::AccountId, amount: Balance) -> bool {
		amount.is_zero()
			|| T::NativeBalance::can_hold(&HoldReason::DisputeDeposit.into(), who, amount)
	}

	/// A respondent that never engaged cannot act in negotiation once `respond_by` passed: the
	/// dispute is decided for the opener.
	pub(crate) fn ensure_respondent_in_time(
		dispute: &DisputeOf<T>,
		side: Side,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if side != dispute.opener && !dispute.respondent_engaged {
			if let Stage::Negotiating { respond_by, .. } = dispute.stage {
				ensure!(now < respond_by, Error::<T>::ResponseWindowClosed);
			}
		}
		Ok(())
	}

	/// Whether an action of `side` engages the respondent now (and holds its deposit).
	pub(crate) fn engages(dispute: &DisputeOf<T>, side: Side) -> bool {
		dispute.kind != DisputeKind::Platform
			&& side != dispute.opener
			&& !dispute.respondent_engaged
	}

	/// Checks that `side` may act now and, if its action engages it, can pay the deposit.
	pub(crate) fn ensure_can_act(
		dispute: &DisputeOf<T>,
		side: Side,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::ensure_respondent_in_time(dispute, side, now)?;
		if Self::engages(dispute, side) {
			ensure!(
				Self::can_hold_deposit(dispute.account(side), dispute.terms.deposit),
				Error::<T>::InsufficientDeposit
			);
		}
		Ok(())
	}

	// ---- Shared steps --------------------------------------------------------------------------

	pub(crate) fn hold_deposit(who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			T::NativeBalance::hold(&HoldReason::DisputeDeposit.into(), who, amount)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
		}
		Ok(())
	}

	/// Engages the respondent if `side`'s action does (see [`Self::engages`]): holds its
	/// deposit. Call after [`Self::ensure_can_act`].
	pub(crate) fn engage_if_respondent(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		side: Side,
	) -> DispatchResult {
		if !Self::engages(dispute, side) {
			return Ok(());
		}
		let deposit = dispute.terms.deposit;
		let who = dispute.account(side).clone();
		Self::hold_deposit(&who, deposit)?;
		match side {
			Side::Customer => dispute.customer_deposit = deposit,
			Side::Merchant => dispute.merchant_deposit = deposit,
		}
		dispute.respondent_engaged = true;
		Self::deposit_event(Event::RespondentEngaged { dispute_id, respondent: who, deposit });
		Ok(())
	}

	/// Schedules a deadline at `at`, or the next block with room. Returns the block used.
	pub(crate) fn schedule(
		at: BlockNumberFor<T>,
		dispute_id: DisputeId,
		kind: DeadlineKind,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		// The cursor starts at the block of the first deadline ever scheduled, not at zero:
		// a pallet added to a running chain does not walk every past block.
		if DeadlineCursor::<T>::get().is_zero() {
			DeadlineCursor::<T>::put(Self::now().max(One::one()));
		}
		DeadlineQueue::<T>::schedule(at, (dispute_id, kind), MAX_DEADLINE_SPILL)
			.ok_or(Error::<T>::DeadlineQueueFull)
	}

	/// Sends a dispute to governance: it decides by `now + decide_within`.
	pub(crate) fn send_to_governance(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		let decide_by = Self::after(now, dispute.terms.decide_within)?;
		Self::schedule(decide_by, dispute_id, DeadlineKind::Decision)?;
		dispute.stage = Stage::AwaitingGovernance { decide_by };
		Self::deposit_event(Event::SentToGovernance { dispute_id, decide_by });
		Ok(())
	}

	/// Ends an agreement or after-sales dispute: the orders pallet pays `refund` back to the
	/// customer and the rest of the frozen money to the merchant, checked to add up to the
	/// frozen amount exactly; then the deposits are settled and the dispute removed.
	pub(crate) fn resolve(
		dispute_id: DisputeId,
		dispute: DisputeOf<T>,
		resolution: Resolution,
		refund: Balance,
		deposits: DepositOutcome<T::AccountId>,
	) -> DispatchResult {
		ensure!(refund <= dispute.frozen, Error::<T>::RefundExceedsFrozen);
		let payout = T::Orders::resolve(dispute.order_id, refund)?;
		ensure!(
			refund.checked_add(payout.gross) == Some(dispute.frozen),
			Error::<T>::PayoutMismatch
		);
		Self::settle_deposits(dispute_id, &dispute, deposits)?;
		Self::remove(dispute_id, &dispute);
		Self::deposit_event(Event::Resolved {
			dispute_id,
			order_id: dispute.order_id,
			resolution,
			frozen: dispute.frozen,
			refund,
			merchant_gross: payout.gross,
			compensation: 0,
		});
		Ok(())
	}

	/// Returns or forfeits every deposit held for a dispute.
	pub(crate) fn settle_deposits(
		dispute_id: DisputeId,
		dispute: &DisputeOf<T>,
		outcome: DepositOutcome<T::AccountId>,
	) -> DispatchResult {
		for side in [Side::Customer, Side::Merchant] {
			let amount = dispute.deposits_of(side);
			if amount.is_zero() {
				continue;
			}
			let who = dispute.account(side).clone();
			match &outcome {
				DepositOutcome::Favour { side: favoured, arbiter } if *favoured != side => {
					Self::forfeit(dispute_id, who, amount, arbiter.clone(), dispute.arbiter_fee)?
				},
				_ => {
					Self::release_deposit(&who, amount)?;
					Self::deposit_event(Event::DepositReturned { dispute_id, who, amount });
				},
			}
		}
		Ok(())
	}

	fn release_deposit(who: &T::AccountId, amount: Balance) -> DispatchResult {
		T::NativeBalance::release(
			&HoldReason::DisputeDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		)?;
		Ok(())
	}

	/// Moves up to `amount` of `from`'s dispute deposit hold to `to`'s free balance; returns
	/// what moved (nothing if `to` cannot receive it, e.g. below the existential deposit).
	fn pay_from_hold(from: &T::AccountId, to: &T::AccountId, amount: Balance) -> Balance {
		if amount.is_zero() {
			return 0;
		}
		T::NativeBalance::transfer_on_hold(
			&HoldReason::DisputeDeposit.into(),
			from,
			to,
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_default()
	}

	/// A losing side's deposits: the arbiter's fee to the arbiter who ruled (if one did), the
	/// rest to the platform account. What neither can receive is released to its owner, so
	/// nothing stays held for a dispute that ended.
	fn forfeit(
		dispute_id: DisputeId,
		who: T::AccountId,
		amount: Balance,
		arbiter: Option<T::AccountId>,
		arbiter_fee: Balance,
	) -> DispatchResult {
		let to_arbiter = match &arbiter {
			Some(arbiter) => Self::pay_from_hold(&who, arbiter, arbiter_fee.min(amount)),
			None => 0,
		};
		let rest = amount.saturating_sub(to_arbiter);
		let to_platform = Self::pay_from_hold(&who, &T::PlatformAccount::get(), rest);
		let left = rest.saturating_sub(to_platform);
		if left > 0 {
			Self::release_deposit(&who, left)?;
		}
		Self::deposit_event(Event::DepositForfeited {
			dispute_id,
			who,
			arbiter,
			to_arbiter,
			to_platform,
		});
		Ok(())
	}

	/// Whether the order already has an open dispute in the slot of `kind`: one about its
	/// money (agreement, after-sales) and one platform dispute may be open at a time.
	pub(crate) fn slot_taken(kind: DisputeKind, order_id: OrderId) -> bool {
		if kind == DisputeKind::Platform {
			PlatformDisputeOfOrder::<T>::contains_key(order_id)
		} else {
			DisputeOfOrder::<T>::contains_key(order_id)
		}
	}

	pub(crate) fn insert_slot(kind: DisputeKind, order_id: OrderId, dispute_id: DisputeId) {
		if kind == DisputeKind::Platform {
			PlatformDisputeOfOrder::<T>::insert(order_id, dispute_id);
		} else {
			DisputeOfOrder::<T>::insert(order_id, dispute_id);
		}
	}

	/// Removes an ended dispute with its indexes.
	pub(crate) fn remove(dispute_id: DisputeId, dispute: &DisputeOf<T>) {
		if let Stage::Arbitration { arbiter, .. } = &dispute.stage {
			ArbiterCases::<T>::remove(arbiter, dispute_id);
		}
		Disputes::<T>::remove(dispute_id);
		if dispute.kind == DisputeKind::Platform {
			PlatformDisputeOfOrder::<T>::remove(dispute.order_id);
		} else {
			DisputeOfOrder::<T>::remove(dispute.order_id);
		}
		DisputesOfParty::<T>::remove(&dispute.customer, dispute_id);
		DisputesOfParty::<T>::remove(&dispute.merchant, dispute_id);
	}

	// ---- Invariants --------------------------------------------------------------------------

	/// Checks every invariant of the pallet.
	///
	/// 1. Every open agreement or after-sales dispute refers to an order that orders reports
	///    frozen, with exactly the dispute's frozen amount; platform disputes froze nothing.
	/// 2. Per account, the balance held for [`HoldReason::DisputeDeposit`] equals the sum of
	///    the open disputes' deposits of that account.
	/// 3. [`DisputeOfOrder`] (agreement, after-sales) and [`PlatformDisputeOfOrder`] map each
	///    open dispute's order to it, and nothing else (no order has two open disputes about
	///    its money, nor two platform disputes); [`DisputesOfParty`] indexes each under both parties; every id
	///    is below [`NextDisputeId`].
	/// 4. A proposal or ruling never exceeds the frozen amount (that every resolution paid
	///    out exactly the frozen amount is checked when it happens).
	/// 5. [`ArbiterCases`] holds exactly the disputes in arbitration under their arbiter; the
	///    arbiter set has no duplicates; deadlines are bounded, none is left behind the cursor,
	///    and every open dispute has its current deadline scheduled.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_orders_frozen()?;
		Self::try_state_deposits()?;
		Self::try_state_indexes()?;
		Self::try_state_amounts()?;
		Self::try_state_arbiters_and_deadlines()?;
		Ok(())
	}

	fn try_state_orders_frozen() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, dispute) in Disputes::<T>::iter() {
			if dispute.kind == DisputeKind::Platform {
				ensure!(dispute.frozen.is_zero(), "a platform dispute froze money");
			} else {
				ensure!(
					T::Orders::frozen(dispute.order_id) == Some(dispute.frozen),
					"disputed order not frozen with the dispute's amount"
				);
			}
		}
		Ok(())
	}

	fn try_state_deposits() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_account: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (_, dispute) in Disputes::<T>::iter() {
			for side in [Side::Customer, Side::Merchant] {
				let d = per_account.entry(dispute.account(side).clone()).or_default();
				*d = d.saturating_add(dispute.deposits_of(side));
			}
		}
		for (who, deposits) in per_account {
			ensure!(
				T::NativeBalance::balance_on_hold(&HoldReason::DisputeDeposit.into(), &who)
					== deposits,
				"dispute deposits held differ from the open disputes' deposits"
			);
		}
		Ok(())
	}

	fn try_state_indexes() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextDisputeId::<T>::get();
		let mut count: usize = 0;
		for (id, dispute) in Disputes::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id < next, "dispute id not below NextDisputeId");
			let slot = if dispute.kind == DisputeKind::Platform {
				PlatformDisputeOfOrder::<T>::get(dispute.order_id)
			} else {
				DisputeOfOrder::<T>::get(dispute.order_id)
			};
			ensure!(slot == Some(id), "open dispute missing from its order's slot");
			ensure!(dispute.customer != dispute.merchant, "dispute between one account");
			ensure!(
				DisputesOfParty::<T>::contains_key(&dispute.customer, id)
					&& DisputesOfParty::<T>::contains_key(&dispute.merchant, id),
				"open dispute missing from a party's index"
			);
		}
		let slots = DisputeOfOrder::<T>::iter()
			.count()
			.saturating_add(PlatformDisputeOfOrder::<T>::iter().count());
		ensure!(slots == count, "stale DisputeOfOrder or PlatformDisputeOfOrder entry");
		ensure!(
			DisputesOfParty::<T>::iter().count() == count.saturating_mul(2),
			"stale DisputesOfParty entry"
		);
		Ok(())
	}

	fn try_state_amounts() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, dispute) in Disputes::<T>::iter() {
			if let Some(proposal) = dispute.proposal {
				ensure!(proposal.refund <= dispute.frozen, "proposal exceeds the frozen amount");
			}
			if let Stage::Ruled { refund, .. } | Stage::Appealed { refund, .. } = dispute.stage {
				ensure!(refund <= dispute.frozen, "ruling exceeds the frozen amount");
			}
			ensure!(
				dispute.appeal_deposit.is_none() || matches!(dispute.stage, Stage::Appealed { .. }),
				"appeal deposit held outside an appeal"
			);
		}
		Ok(())
	}

	fn try_state_arbiters_and_deadlines() -> Result<(), sp_runtime::TryRuntimeError> {
		let arbiters = Arbiters::<T>::get();
		let unique: BTreeSet<&T::AccountId> = arbiters.iter().collect();
		ensure!(unique.len() == arbiters.len(), "an arbiter is listed twice");

		let mut in_arbitration: usize = 0;
		for (id, dispute) in Disputes::<T>::iter() {
			if let Stage::Arbitration { arbiter, .. } = &dispute.stage {
				in_arbitration = in_arbitration.saturating_add(1);
				ensure!(
					ArbiterCases::<T>::contains_key(arbiter, id),
					"dispute in arbitration missing from its arbiter's cases"
				);
			}
		}
		ensure!(ArbiterCases::<T>::iter().count() == in_arbitration, "stale ArbiterCases entry");

		let cursor = DeadlineCursor::<T>::get();
		ensure!(
			cursor <= Self::now().saturating_add(One::one()),
			"deadline cursor ahead of the next block"
		);
		let mut scheduled: BTreeSet<(DisputeId, DeadlineKind)> = BTreeSet::new();
		for (block, deadlines) in Deadlines::<T>::iter() {
			ensure!(
				deadlines.len() as u32 <= T::MaxDeadlinesPerBlock::get(),
				"too many deadlines in a block"
			);
			ensure!(block >= cursor || deadlines.is_empty(), "deadlines left behind the cursor");
			scheduled.extend(deadlines.iter().copied());
		}
		for (id, dispute) in Disputes::<T>::iter() {
			let (kind, _) = dispute.deadline();
			ensure!(scheduled.contains(&(id, kind)), "an open dispute's deadline is not scheduled");
		}
		Ok(())
	}
}
