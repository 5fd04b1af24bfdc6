//! Shared internals of the disputes pallet: reads and queries, checks, the steps every feature
//! ends with (take and settle deposits, schedule a deadline, send to governance, resolve or
//! drop a dispute), and the `try_state` invariants.

use crate::{pallet::*, types::*, Balance, CurrencyId, OrderId};
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use entrepot_primitives::{index_page, DueQueue, Exchange, OrderDisputes};
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Preservation, Provenance, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, One, Saturating, Zero},
	DispatchResult,
};

/// Where [`Pallet::pay_held`] paid a deposit part.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum PaidTo {
	/// To the account it was for.
	Recipient,
	/// To the platform account: the recipient could not receive it.
	Platform,
	/// Nobody could receive it: released on the disputes account.
	Nobody,
}

/// The deadline queue: [`Deadlines`] by block and dispute, [`DeadlineAt`] and
/// [`DeadlineCursor`].
pub(crate) type DeadlineQueue<T> = DueQueue<
	BlockNumberFor<T>,
	DisputeId,
	Deadline,
	Deadlines<T>,
	DeadlineAt<T>,
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

	/// Every window and stake non-zero, and no negotiation window shorter than its response
	/// window.
	pub(crate) fn params_valid(params: &DisputeParamsOf<T>) -> bool {
		[params.agreement, params.after_sales, params.platform].iter().all(|k| {
			[k.response_within, k.negotiation_within, k.ruling_within, k.appeal_within]
				.iter()
				.chain(core::iter::once(&k.decide_within))
				.all(|w| !w.is_zero())
				&& k.negotiation_within >= k.response_within
				&& !k.stake.is_zero()
		})
	}

	/// This pallet's account: it holds every deposit.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// How `who` can post `deposit` (stated: the flat part in the native token, the stake in
	/// the order's `currency`) out of funds no freeze covers, keeping its accounts alive, or
	/// `None` if it cannot. As stated if it can; otherwise wholly in one currency, converted at
	/// governance's reference rates and rounded up: the currency `who` paid the order in
	/// (`paid_in`, for the customer of an order exchanged at checkout), else the order's
	/// currency. `only` restricts the choice to one form (an appeal is held as the appellant's
	/// earlier deposit is, so a side's deposits add up).
	pub fn deposit_form(
		who: &T::AccountId,
		currency: &CurrencyId,
		paid_in: Option<CurrencyId>,
		deposit: &Deposit,
		only: Option<Option<CurrencyId>>,
	) -> Option<Deposit> {
		let spendable = |c: CurrencyId| {
			T::Currencies::reducible_balance(c, who, Preservation::Preserve, Fortitude::Polite)
		};
		let forms = [None, paid_in, Some(currency.clone())];
		forms
			.into_iter()
			.filter(|form| only.as_ref().is_none_or(|o| o == form))
			.find_map(|form| {
				let held = match &form {
					None => deposit.clone(),
					Some(c) => Deposit {
						native: T::Exchange::reference_value(
							&CurrencyId::Native,
							c,
							deposit.native,
						)?,
						stake: T::Exchange::reference_value(currency, c, deposit.stake)?,
						held_in: form.clone(),
					},
				};
				let [(flat_in, flat), (stake_in, stake)] = held.parts(currency);
				let affordable = if flat_in == stake_in {
					spendable(flat_in) >= flat.checked_add(stake)?
				} else {
					spendable(flat_in) >= flat && (stake.is_zero() || spendable(stake_in) >= stake)
				};
				affordable.then_some(held)
			})
	}

	/// The currency `side` paid order `order_id` in, if it is the customer of an order exchanged
	/// at checkout.
	pub(crate) fn paid_in(order_id: OrderId, side: Side) -> Option<CurrencyId> {
		(side == Side::Customer).then(|| T::Orders::paid_in(order_id)).flatten()
	}

	/// How `side` can post the deposit of engaging in `dispute` ([`Self::deposit_form`]).
	pub(crate) fn engaging_deposit(dispute: &DisputeOf<T>, side: Side) -> Option<Deposit> {
		Self::deposit_form(
			dispute.account(side),
			&dispute.currency,
			Self::paid_in(dispute.order_id, side),
			&dispute.party_deposit(),
			None,
		)
	}

	/// A respondent that never engaged cannot act in negotiation once `respond_by` passed: the
	/// dispute goes to arbitration.
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

	/// Whether an action of `side` engages the respondent now (and takes its deposit).
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
				Self::engaging_deposit(dispute, side).is_some(),
				Error::<T>::InsufficientDeposit
			);
		}
		Ok(())
	}

	// ---- Shared steps --------------------------------------------------------------------------

	/// Takes a deposit, as [`Self::deposit_form`] gave it, from `who` into this pallet's account
	/// and holds it there, for an order in `currency`. Polite transfers: frozen funds cannot be
	/// posted.
	pub(crate) fn take_deposit(
		who: &T::AccountId,
		currency: &CurrencyId,
		deposit: &Deposit,
	) -> DispatchResult {
		for (c, amount) in deposit.parts(currency) {
			if amount.is_zero() {
				continue;
			}
			let vault = Self::account_id();
			T::Currencies::transfer(c.clone(), who, &vault, amount, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
			T::Holds::hold(c.clone(), &HoldReason::DisputeDeposit.into(), &vault, amount)?;
			let total =
				TotalDeposits::<T>::get(&c).checked_add(amount).ok_or(Error::<T>::Overflow)?;
			TotalDeposits::<T>::insert(&c, total);
		}
		Ok(())
	}

	/// Engages the respondent if `side`'s action does (see [`Self::engages`]): takes its
	/// deposit. Call after [`Self::ensure_can_act`].
	pub(crate) fn engage_if_respondent(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		side: Side,
	) -> DispatchResult {
		if !Self::engages(dispute, side) {
			return Ok(());
		}
		let deposit =
			Self::engaging_deposit(dispute, side).ok_or(Error::<T>::InsufficientDeposit)?;
		let who = dispute.account(side).clone();
		Self::take_deposit(&who, &dispute.currency, &deposit)?;
		match side {
			Side::Customer => dispute.customer_deposit = deposit.clone(),
			Side::Merchant => dispute.merchant_deposit = deposit.clone(),
		}
		dispute.respondent_engaged = true;
		// Engaged: the negotiation window replaces the response window.
		if let Stage::Negotiating { negotiate_by, .. } = dispute.stage {
			Self::schedule(dispute_id, negotiate_by, DeadlineKind::Negotiation);
		}
		Self::deposit_event(Event::RespondentEngaged { dispute_id, respondent: who, deposit });
		Ok(())
	}

	/// Sets the dispute's deadline: `kind` at block `at`, replacing its earlier one. Never
	/// fails.
	pub(crate) fn schedule(dispute_id: DisputeId, at: BlockNumberFor<T>, kind: DeadlineKind) {
		// The cursor starts at the block of the first deadline ever scheduled, not at zero:
		// a pallet added to a running chain does not walk every past block.
		if DeadlineCursor::<T>::get().is_zero() {
			DeadlineCursor::<T>::put(Self::now().max(One::one()));
		}
		DeadlineQueue::<T>::schedule(dispute_id, at, Deadline::new(kind));
	}

	/// Sends a dispute to governance: it decides by `now + decide_within`.
	pub(crate) fn send_to_governance(
		dispute_id: DisputeId,
		dispute: &mut DisputeOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		let decide_by = Self::after(now, dispute.terms.decide_within)?;
		Self::schedule(dispute_id, decide_by, DeadlineKind::Decision);
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
			reference: dispute.reference,
			resolution,
			frozen: dispute.frozen,
			refund,
			merchant_gross: payout.gross,
			compensation: 0,
		});
		Ok(())
	}

	/// Ends a dispute without a decision: every deposit goes back and a frozen order resumes
	/// its own rules from the state it was frozen in.
	pub(crate) fn drop_undecided(dispute_id: DisputeId, dispute: DisputeOf<T>) -> DispatchResult {
		if dispute.kind != DisputeKind::Platform {
			T::Orders::unfreeze(dispute.order_id)?;
		}
		Self::settle_deposits(dispute_id, &dispute, DepositOutcome::ReturnAll)?;
		Self::remove(dispute_id, &dispute);
		let resolution = if dispute.kind == DisputeKind::Platform {
			Resolution::NoDecision
		} else {
			Resolution::Undecided
		};
		Self::deposit_event(Event::Resolved {
			dispute_id,
			order_id: dispute.order_id,
			reference: dispute.reference,
			resolution,
			frozen: dispute.frozen,
			refund: 0,
			merchant_gross: 0,
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
			let deposit = dispute.deposits_of(side);
			if deposit.is_zero() {
				continue;
			}
			let who = dispute.account(side).clone();
			match &outcome {
				DepositOutcome::Favour { side: favoured, arbiter } if *favoured != side => {
					let winner = dispute.account(*favoured).clone();
					Self::forfeit(dispute_id, dispute, who, winner, deposit, arbiter.clone())?
				},
				_ => {
					for (currency, amount) in deposit.parts(&dispute.currency) {
						Self::pay_held(dispute_id, &currency, &who, amount)?;
					}
					Self::deposit_event(Event::DepositReturned {
						dispute_id,
						who,
						amount: deposit,
					});
				},
			}
		}
		Ok(())
	}

	/// Pays `amount` of the held deposits in `currency` to `to`. What `to` cannot receive
	/// (dust below the minimum balance of an account that does not exist) goes to the platform
	/// account; what neither can receive stays on this pallet's account, no longer held for
	/// any dispute (event [`Event::DepositUnclaimable`]). So nothing stays held for a dispute
	/// that ended, and no account that cannot receive (a dead asset account, one blocked by
	/// the asset's freezer) can keep a dispute from ending; governance can return what went to
	/// the platform account. Returns where the amount went.
	fn pay_held(
		dispute_id: DisputeId,
		currency: &CurrencyId,
		to: &T::AccountId,
		amount: Balance,
	) -> Result<PaidTo, sp_runtime::DispatchError> {
		if amount.is_zero() {
			return Ok(PaidTo::Recipient);
		}
		let receives = |who: &T::AccountId| {
			T::Currencies::can_deposit(currency.clone(), who, amount, Provenance::Extant)
				== DepositConsequence::Success
		};
		let reason = HoldReason::DisputeDeposit.into();
		let vault = Self::account_id();
		let platform = T::PlatformAccount::get();
		let received = if receives(to) {
			T::Holds::transfer_on_hold(
				currency.clone(),
				&reason,
				&vault,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			PaidTo::Recipient
		} else if receives(&platform) {
			T::Holds::transfer_on_hold(
				currency.clone(),
				&reason,
				&vault,
				&platform,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			PaidTo::Platform
		} else {
			T::Holds::release(currency.clone(), &reason, &vault, amount, Precision::Exact)?;
			Self::deposit_event(Event::DepositUnclaimable {
				dispute_id,
				who: to.clone(),
				currency: currency.clone(),
				amount,
			});
			PaidTo::Nobody
		};
		TotalDeposits::<T>::mutate_exists(currency, |total| {
			let left = total.unwrap_or_default().checked_sub(amount).unwrap_or_else(|| {
				frame_support::defensive!("a deposit paid out above the total held");
				0
			});
			*total = (!left.is_zero()).then_some(left);
		});
		Ok(received)
	}

	/// A losing side's deposits: of the native part, the arbiter's fee to the arbiter who
	/// ruled (if one did) and the rest to the platform account; the stake to the favoured
	/// side, `winner`.
	fn forfeit(
		dispute_id: DisputeId,
		dispute: &DisputeOf<T>,
		who: T::AccountId,
		winner: T::AccountId,
		deposit: Deposit,
		arbiter: Option<T::AccountId>,
	) -> DispatchResult {
		let (flat_in, stake_in) = deposit.currencies(&dispute.currency);
		// The arbiter's fee is stated in the native token: a flat part held in another currency
		// pays its reference value (all of the flat part if that currency lost its rate).
		let fee = match arbiter {
			Some(_) => {
				T::Exchange::reference_value(&CurrencyId::Native, &flat_in, dispute.arbiter_fee)
					.unwrap_or(deposit.native)
					.min(deposit.native)
			},
			None => 0,
		};
		let platform = T::PlatformAccount::get();
		// What the arbiter cannot receive goes to the platform account.
		let (mut to_arbiter, mut to_platform) = (0, 0);
		if let Some(arbiter) = &arbiter {
			match Self::pay_held(dispute_id, &flat_in, arbiter, fee)? {
				PaidTo::Recipient => to_arbiter = fee,
				PaidTo::Platform => to_platform = fee,
				PaidTo::Nobody => {},
			}
		}
		let rest = deposit.native.saturating_sub(fee);
		if Self::pay_held(dispute_id, &flat_in, &platform, rest)? == PaidTo::Recipient {
			to_platform = to_platform.saturating_add(rest);
		}
		let to_winner = match Self::pay_held(dispute_id, &stake_in, &winner, deposit.stake)? {
			PaidTo::Recipient => deposit.stake,
			_ => 0,
		};
		Self::deposit_event(Event::DepositForfeited {
			dispute_id,
			who,
			held_in: deposit.held_in,
			arbiter,
			to_arbiter,
			to_platform,
			winner,
			to_winner,
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

	/// Removes an ended dispute with its indexes and its deadline.
	pub(crate) fn remove(dispute_id: DisputeId, dispute: &DisputeOf<T>) {
		DeadlineQueue::<T>::cancel(&dispute_id);
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
	/// 2. Per currency, the sum of the open disputes' deposits is [`TotalDeposits`], and that
	///    is what this pallet's account holds for [`HoldReason::DisputeDeposit`]; a side's
	///    appeal deposit is held in the currencies of its earlier deposit.
	/// 3. [`DisputeOfOrder`] (agreement, after-sales) and [`PlatformDisputeOfOrder`] map each
	///    open dispute's order to it, and nothing else (no order has two open disputes about
	///    its money, nor two platform disputes); [`DisputesOfParty`] indexes each under both
	///    parties; every id is below [`NextDisputeId`].
	/// 4. A proposal or ruling never exceeds the frozen amount (that every resolution paid
	///    out exactly the frozen amount is checked when it happens).
	/// 5. [`ArbiterCases`] holds exactly the disputes in arbitration under their arbiter; the
	///    arbiter set has no duplicates; every open dispute has exactly one deadline, its
	///    current stage's, due no earlier than the stage says; no deadline belongs to anything
	///    else or is left behind the cursor.
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
		let mut per_currency: BTreeMap<CurrencyId, Balance> = BTreeMap::new();
		for (_, dispute) in Disputes::<T>::iter() {
			if let Some((by, appeal)) = &dispute.appeal_deposit {
				let earlier = dispute.deposit_of(*by);
				ensure!(
					earlier.is_zero() || earlier.held_in == appeal.held_in,
					"a side's deposits held in different currencies"
				);
			}
			for side in [Side::Customer, Side::Merchant] {
				for (c, amount) in dispute.deposits_of(side).parts(&dispute.currency) {
					let d = per_currency.entry(c).or_default();
					*d = d.saturating_add(amount);
				}
			}
		}
		per_currency.retain(|_, amount| !amount.is_zero());
		let totals: BTreeMap<CurrencyId, Balance> = TotalDeposits::<T>::iter().collect();
		ensure!(per_currency == totals, "TotalDeposits differs from the open disputes' deposits");
		let vault = Self::account_id();
		for (currency, total) in totals {
			ensure!(
				T::Holds::balance_on_hold(currency, &HoldReason::DisputeDeposit.into(), &vault)
					== total,
				"deposits held differ from TotalDeposits"
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
		let mut count: usize = 0;
		for (block, id, deadline) in Deadlines::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(block >= cursor, "a deadline left behind the cursor");
			ensure!(DeadlineAt::<T>::get(id) == Some(block), "DeadlineAt differs from Deadlines");
			let dispute = Disputes::<T>::get(id).ok_or("a deadline of a missing dispute")?;
			let (kind, due) = dispute.deadline();
			ensure!(deadline.kind == kind, "a deadline of another stage than the dispute's");
			ensure!(block >= due, "a deadline set before its stage's");
		}
		ensure!(DeadlineAt::<T>::iter().count() == count, "stale DeadlineAt entry");
		for (id, _) in Disputes::<T>::iter() {
			ensure!(DeadlineAt::<T>::contains_key(id), "an open dispute has no deadline");
		}
		Ok(())
	}
}
