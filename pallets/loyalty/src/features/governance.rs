//! Governance: rates per currency, limits, pausing earning.

use crate::{pallet::*, types::*, CurrencyId};
use frame_support::ensure;
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_currency_rate(
		currency: CurrencyId,
		rate: Option<CurrencyRate>,
	) -> DispatchResult {
		if let Some(r) = &rate {
			ensure!(Self::rate_valid(r), Error::<T>::InvalidRate);
		}
		CurrencyRates::<T>::set(&currency, rate);
		Self::deposit_event(Event::CurrencyRateSet { currency, rate });
		Ok(())
	}

	pub(crate) fn do_set_limits(limits: LimitsOf<T>) -> DispatchResult {
		ensure!(Self::limits_valid(&limits), Error::<T>::InvalidLimits);
		Limits::<T>::put(limits);
		Self::deposit_event(Event::LimitsSet { limits });
		Ok(())
	}

	pub(crate) fn do_set_earning_paused(paused: bool) -> DispatchResult {
		EarningPaused::<T>::put(paused);
		Self::deposit_event(Event::EarningPausedSet { paused });
		Ok(())
	}
}
