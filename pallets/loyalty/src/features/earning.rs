//! Earning: a verified-purchase review of a completed order records the rating for the
//! merchant's reputation and earns the customer a reward, which vests when the order's
//! after-sales window closes.

use crate::{impls::TimerQueue, pallet::*, types::*, OrderId};
use entrepot_primitives::OrderDiscounts;
use frame_support::{ensure, storage::with_storage_layer, traits::Get};
use sp_core::H256;
use sp_runtime::{traits::Saturating, DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_review(
		who: T::AccountId,
		order_id: OrderId,
		rating: u8,
		review_hash: H256,
	) -> DispatchResult {
		ensure!((1..=5).contains(&rating), Error::<T>::InvalidRating);
		let completed = CompletedOrders::<T>::get(order_id).ok_or(Error::<T>::NotReviewable)?;
		ensure!(completed.customer == who, Error::<T>::NotCustomer);
		let now = Self::now();
		ensure!(now < completed.review_by, Error::<T>::ReviewWindowClosed);

		let limits = Limits::<T>::get();
		let period = Self::period_of(now, &limits);
		let mut earnings = EarningsOf::<T>::get(&who)
			.filter(|e| e.period == period)
			.unwrap_or(PeriodEarnings { period, earned: 0 });
		let reward = Self::uncapped_reward(&completed.currency, completed.value, completed.fees)
			.min(limits.per_order_cap)
			.min(limits.per_period_cap.saturating_sub(earnings.earned));
		earnings.earned = earnings.earned.checked_add(reward).ok_or(Error::<T>::Overflow)?;
		// Reviews of orders too small to earn do not move reputation either: reputation is not
		// for sale in dust orders.
		let counted = Self::counts(&completed.currency, completed.value);
		let mut reputation = ReputationOf::<T>::get(&completed.merchant).unwrap_or_default();
		if counted {
			reputation.count = reputation.count.checked_add(1).ok_or(Error::<T>::Overflow)?;
			reputation.sum =
				reputation.sum.checked_add(u64::from(rating)).ok_or(Error::<T>::Overflow)?;
		}
		let total_pending =
			TotalPending::<T>::get().checked_add(reward).ok_or(Error::<T>::Overflow)?;
		// A reward vests once the after-sales window closed and the order is archived (no
		// refund can follow any more); until then it waits for its timer.
		let vests_now = completed.vests_at <= now && !T::Orders::is_open(order_id);

		CompletedOrders::<T>::remove(order_id);
		TimerQueue::<T>::cancel(&order_id);
		// A reward that vests now is minted now (or lapses, below the token's minimum balance
		// to a customer who holds none); if the mint fails (the customer cannot hold the token
		// at the moment), it waits as pending and the timer retries it.
		let vested = reward > 0
			&& vests_now
			&& with_storage_layer(|| Self::vest_reward(order_id, &who, reward)).is_ok();
		if reward > 0 {
			EarningsOf::<T>::insert(&who, earnings);
			if !vested {
				let at = if completed.vests_at > now {
					completed.vests_at
				} else if vests_now {
					now
				} else {
					now.saturating_add(T::RetryDelay::get())
				};
				Self::schedule(order_id, at, TimerKind::Vest);
				PendingRewards::<T>::insert(
					order_id,
					PendingReward {
						customer: who.clone(),
						value: completed.value,
						reward,
						vests_at: completed.vests_at,
					},
				);
				TotalPending::<T>::put(total_pending);
			}
		}
		if counted {
			ReputationOf::<T>::insert(&completed.merchant, reputation);
			RecentReviews::<T>::mutate(&completed.merchant, |reviews| {
				if reviews.is_full() {
					reviews.remove(0);
				}
				let review =
					Review { order_id, customer: who.clone(), rating, review_hash, at: now };
				if reviews.try_push(review).is_err() {
					frame_support::defensive!("a full review list after removing its oldest");
				}
			});
		}
		Self::deposit_event(Event::Reviewed {
			order_id,
			customer: who,
			merchant: completed.merchant,
			rating,
			review_hash,
			reward,
			counted,
			vests_at: completed.vests_at,
		});
		Ok(())
	}
}
