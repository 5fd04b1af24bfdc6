//! Governance: appointing gateways, their limits and status, and the parameters.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_appoint_gateway(
		gateway: T::AccountId,
		asset: AssetId,
		limits: Limits,
	) -> DispatchResult {
		ensure!(!Gateways::<T>::contains_key(&gateway), Error::<T>::AlreadyAGateway);
		ensure!(Self::is_stablecoin(asset), Error::<T>::NotAStablecoin);
		ensure!(Gateways::<T>::count() < T::MaxGateways::get(), Error::<T>::TooManyGateways);

		Gateways::<T>::insert(&gateway, Self::new_gateway(asset, limits, Zero::zero(), None));
		Self::deposit_event(Event::GatewayAppointed { gateway, asset, limits });
		Ok(())
	}

	pub(crate) fn do_set_gateway_limits(gateway: T::AccountId, limits: Limits) -> DispatchResult {
		Gateways::<T>::try_mutate(&gateway, |info| -> DispatchResult {
			info.as_mut().ok_or(Error::<T>::NotAGateway)?.limits = limits;
			Ok(())
		})?;
		Self::deposit_event(Event::GatewayLimitsSet { gateway, limits });
		Ok(())
	}

	pub(crate) fn do_set_gateway_status(
		gateway: T::AccountId,
		status: GatewayStatus,
	) -> DispatchResult {
		Gateways::<T>::try_mutate(&gateway, |info| -> DispatchResult {
			info.as_mut().ok_or(Error::<T>::NotAGateway)?.status = status;
			Ok(())
		})?;
		Self::deposit_event(match status {
			GatewayStatus::Active => Event::GatewayResumed { gateway },
			GatewayStatus::Suspended => Event::GatewaySuspended { gateway },
		});
		Ok(())
	}

	pub(crate) fn do_set_params(params: ParamsOf<T>) -> DispatchResult {
		ensure!(
			!params.withdrawal_timeout.is_zero() && !params.max_attestation_age.is_zero(),
			Error::<T>::InvalidParams
		);
		GatewayParams::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
