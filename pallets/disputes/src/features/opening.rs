//! Opening a dispute: who may open which kind, the deposit, freezing the order, the first
//! deadlines.

use crate::{pallet::*, types::*, OrderId};
use alloc::vec;
use entrepot_primitives::{DisputeScope, OrderDisputes};
use frame_support::{ensure, BoundedVec};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_open_dispute(
		who: T::AccountId,
		order_id: OrderId,
		kind: DisputeKind,
		reason: DisputeReason,
		evidence: Evidence,
	) -> DispatchResult {
		let (customer, merchant, currency) =
			T::Orders::parties(order_id).ok_or(Error::<T>::OrderNotFound)?;
		let reference = T::Orders::reference(order_id).ok_or(Error::<T>::OrderNotFound)?;
		ensure!(reason.kind() == kind, Error::<T>::ReasonNotForKind);
		let opener = if who == customer {
			Side::Customer
		} else if who == merchant {
			Side::Merchant
		} else {
			return Err(Error::<T>::NotParty.into());
		};
		ensure!(
			kind != DisputeKind::AfterSales || opener == Side::Customer,
			Error::<T>::NotCustomer
		);
		ensure!(!Self::slot_taken(kind, order_id), Error::<T>::OrderAlreadyDisputed);
		let params = Params::<T>::get();
		let terms = params.of(kind);
		// The flat part, at least, must be there before anything is frozen.
		let paid_in = Self::paid_in(order_id, opener);
		let flat = Deposit::stated(terms.deposit, 0);
		ensure!(
			Self::deposit_form(&who, &currency, paid_in.clone(), &flat, None).is_some(),
			Error::<T>::InsufficientDeposit
		);
		let opener_evidence: BoundedVec<Evidence, T::MaxEvidence> =
			BoundedVec::try_from(vec![evidence]).map_err(|_| Error::<T>::TooMuchEvidence)?;
		let dispute_id = NextDisputeId::<T>::get();
		let next_id = dispute_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let now = Self::now();
		let (stage, deadline) = match kind {
			DisputeKind::Platform => {
				let decide_by = Self::after(now, terms.decide_within)?;
				(Stage::AwaitingGovernance { decide_by }, decide_by)
			},
			DisputeKind::Agreement | DisputeKind::AfterSales => {
				let respond_by = Self::after(now, terms.response_within)?;
				let negotiate_by = Self::after(now, terms.negotiation_within)?;
				(Stage::Negotiating { respond_by, negotiate_by }, respond_by)
			},
		};

		// The stake depends on what the freeze finds locked; a deposit that cannot be paid
		// fails the call and undoes the freeze with it.
		let frozen = match kind {
			DisputeKind::Agreement => {
				T::Orders::freeze(order_id, DisputeScope::Escrow, opener)?.amount
			},
			DisputeKind::AfterSales => {
				T::Orders::freeze(order_id, DisputeScope::Holdback, opener)?.amount
			},
			DisputeKind::Platform => 0,
		};
		let stated = Deposit::stated(terms.deposit, terms.stake.mul_ceil(frozen));
		let deposit = Self::deposit_form(&who, &currency, paid_in, &stated, None)
			.ok_or(Error::<T>::InsufficientDeposit)?;
		Self::take_deposit(&who, &currency, &deposit)?;
		let kind_of_deadline = match &stage {
			Stage::Negotiating { .. } => DeadlineKind::Response,
			_ => DeadlineKind::Decision,
		};
		Self::schedule(dispute_id, deadline, kind_of_deadline);
		let (customer_deposit, merchant_deposit) = match opener {
			Side::Customer => (deposit.clone(), Deposit::default()),
			Side::Merchant => (Deposit::default(), deposit.clone()),
		};
		let (customer_evidence, merchant_evidence) = match opener {
			Side::Customer => (opener_evidence, BoundedVec::new()),
			Side::Merchant => (BoundedVec::new(), opener_evidence),
		};
		let dispute = Dispute::<T> {
			order_id,
			reference,
			kind,
			reason,
			opener,
			customer: customer.clone(),
			merchant: merchant.clone(),
			currency,
			frozen,
			opened_at: now,
			stage,
			respondent_engaged: false,
			customer_deposit,
			merchant_deposit,
			appeal_deposit: None,
			proposal: None,
			customer_evidence,
			merchant_evidence,
			missed: BoundedVec::new(),
			terms,
			arbiter_fee: params.arbiter_fee,
			max_compensation: params.max_compensation,
			order_fees: T::Orders::platform_fees(order_id).unwrap_or_default(),
		};
		Disputes::<T>::insert(dispute_id, dispute);
		NextDisputeId::<T>::put(next_id);
		Self::insert_slot(kind, order_id, dispute_id);
		DisputesOfParty::<T>::insert(&customer, dispute_id, ());
		DisputesOfParty::<T>::insert(&merchant, dispute_id, ());
		Self::deposit_event(Event::DisputeOpened {
			dispute_id,
			order_id,
			reference,
			kind,
			reason,
			opener: who,
			frozen,
			deposit,
			deadline,
		});
		if kind == DisputeKind::Platform {
			Self::deposit_event(Event::SentToGovernance { dispute_id, decide_by: deadline });
		}
		Ok(())
	}
}
