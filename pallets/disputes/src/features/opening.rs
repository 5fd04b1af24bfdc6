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
		ensure!(Self::can_hold_deposit(&who, terms.deposit), Error::<T>::InsufficientDeposit);
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

		let frozen = match kind {
			DisputeKind::Agreement => T::Orders::freeze(order_id, DisputeScope::Escrow)?.amount,
			DisputeKind::AfterSales => T::Orders::freeze(order_id, DisputeScope::Holdback)?.amount,
			DisputeKind::Platform => 0,
		};
		Self::hold_deposit(&who, terms.deposit)?;
		match &stage {
			Stage::Negotiating { respond_by, negotiate_by } => {
				Self::schedule(*respond_by, dispute_id, DeadlineKind::Response)?;
				Self::schedule(*negotiate_by, dispute_id, DeadlineKind::Negotiation)?;
			},
			_ => {
				Self::schedule(deadline, dispute_id, DeadlineKind::Decision)?;
			},
		}
		let (customer_deposit, merchant_deposit) = match opener {
			Side::Customer => (terms.deposit, 0),
			Side::Merchant => (0, terms.deposit),
		};
		let (customer_evidence, merchant_evidence) = match opener {
			Side::Customer => (opener_evidence, BoundedVec::new()),
			Side::Merchant => (BoundedVec::new(), opener_evidence),
		};
		let dispute = Dispute::<T> {
			order_id,
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
		};
		Disputes::<T>::insert(dispute_id, dispute);
		NextDisputeId::<T>::put(next_id);
		Self::insert_slot(kind, order_id, dispute_id);
		DisputesOfParty::<T>::insert(&customer, dispute_id, ());
		DisputesOfParty::<T>::insert(&merchant, dispute_id, ());
		Self::deposit_event(Event::DisputeOpened {
			dispute_id,
			order_id,
			kind,
			reason,
			opener: who,
			frozen,
			deposit: terms.deposit,
			deadline,
		});
		if kind == DisputeKind::Platform {
			Self::deposit_event(Event::SentToGovernance { dispute_id, decide_by: deadline });
		}
		Ok(())
	}
}
