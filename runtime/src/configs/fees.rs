//! Transaction fees paid in a stablecoin: `pallet-asset-conversion-tx-payment`'s
//! `ChargeAssetTxPayment` extension, with the fee swapped into ENT in the pools within
//! governance's reference rate (`pallet_exchange::Pallet::fee_bound`).
//!
//! A transaction without an `assetId` pays in ENT, as before. With one, the fee is quoted in the
//! pools, refused if the pools price it more than the deviation bound above its reference value
//! (so a sandwich around the fee swap makes it at most that much dearer), withdrawn from the
//! signer's stablecoin and swapped into ENT, which goes to the platform account like every fee.
//! What the call did not use is swapped back and returned.
//!
//! polkadot.js encodes the extension's `assetId` as an XCM location without custom types, so
//! the fee asset is a location ([`FeeAsset`]): `{ parents: 0, interior: { X2: [{ PalletInstance:
//! 22 }, { GeneralIndex: id }] } }` names asset `id` of `pallet-assets` (index 22), and
//! `{ parents: 0, interior: 'Here' }` names ENT.

use alloc::vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	defensive,
	traits::{
		fungibles::{self, Balanced, Inspect},
		tokens::{
			imbalance::ResolveAssetTo, DepositConsequence, Fortitude, Precision, Preservation,
			Provenance,
		},
		OnUnbalanced,
	},
	unsigned::TransactionValidityError,
};
use pallet_asset_conversion::SwapCredit;
use pallet_asset_conversion_tx_payment::OnChargeAssetTransaction;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{DispatchInfoOf, PostDispatchInfoOf, Zero},
	transaction_validity::InvalidTransaction,
};

use crate::{
	configs::{monetary::PlatformAccount, orders::NativeAndAssets},
	AccountId, AssetConversion, Balance, Exchange, Runtime, RuntimeCall,
};
use entrepot_primitives::CurrencyId;

/// The index of `pallet-assets` in the runtime: a fee asset's `PalletInstance`.
pub const ASSETS_PALLET_INDEX: u8 = 22;

/// One step of a [`FeeAsset`]'s path, encoded as XCM's (v3, v4 and v5 agree on these two).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum FeeAssetJunction {
	/// A pallet of this chain, by its index.
	#[codec(index = 4)]
	PalletInstance(u8),
	/// An item of that pallet, by its id.
	#[codec(index = 5)]
	GeneralIndex(#[codec(compact)] u128),
}

/// Where a [`FeeAsset`] lives on this chain, encoded as XCM's `Junctions`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum FeeAssetInterior {
	/// This chain itself: its native token.
	#[codec(index = 0)]
	Here,
	/// An item of a pallet.
	#[codec(index = 2)]
	X2(FeeAssetJunction, FeeAssetJunction),
}

/// The asset a transaction fee is paid in, as polkadot.js encodes `ChargeAssetTxPayment`'s
/// `assetId`: an XCM location relative to this chain.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct FeeAsset {
	/// Always 0: the asset is on this chain.
	pub parents: u8,
	/// Where on this chain.
	pub interior: FeeAssetInterior,
}

impl FeeAsset {
	/// The fee asset naming asset `id` of `pallet-assets`.
	pub fn asset(id: u32) -> Self {
		FeeAsset {
			parents: 0,
			interior: FeeAssetInterior::X2(
				FeeAssetJunction::PalletInstance(ASSETS_PALLET_INDEX),
				FeeAssetJunction::GeneralIndex(id.into()),
			),
		}
	}

	/// The currency it names, if any.
	pub fn currency(&self) -> Option<CurrencyId> {
		match (self.parents, self.interior) {
			(0, FeeAssetInterior::Here) => Some(CurrencyId::Native),
			(
				0,
				FeeAssetInterior::X2(
					FeeAssetJunction::PalletInstance(ASSETS_PALLET_INDEX),
					FeeAssetJunction::GeneralIndex(id),
				),
			) => u32::try_from(id).ok().map(CurrencyId::WithId),
			_ => None,
		}
	}
}

type Credit = fungibles::Credit<AccountId, NativeAndAssets>;
/// Where fees go: the platform account, as for fees paid in ENT.
type ToPlatform = ResolveAssetTo<PlatformAccount, NativeAndAssets>;

/// Charges fees in a stablecoin through the pools, within the deviation bound of its reference
/// rate (see the module's documentation).
pub struct StablecoinFees;

impl StablecoinFees {
	/// What `fee` (in ENT) costs in `currency` now, if the pools price it within the bound.
	fn cost(currency: &CurrencyId, fee: Balance) -> Result<Balance, TransactionValidityError> {
		Exchange::fee_in(currency, fee)
			.filter(|cost| !cost.is_zero())
			.ok_or(InvalidTransaction::Payment.into())
	}

	/// Returns `credit` to `who`, or, if it cannot take it, to the platform: a credit is never
	/// dropped (that would burn it).
	fn give_back(who: &AccountId, credit: Credit) {
		if let Err(credit) = NativeAndAssets::resolve(who, credit) {
			ToPlatform::on_unbalanced(credit);
		}
	}

	fn resolve(fee_paid: Credit, tip: Balance) {
		let (tip, fee) = fee_paid.split(tip);
		ToPlatform::on_unbalanceds(Some(fee).into_iter().chain(Some(tip)));
	}
}

impl OnChargeAssetTransaction<Runtime> for StablecoinFees {
	type Balance = Balance;
	type AssetId = FeeAsset;
	/// The fee in ENT, what was paid for it in the asset, and the asset's currency.
	type LiquidityInfo = (Credit, Balance, CurrencyId);

	fn withdraw_fee(
		who: &AccountId,
		_call: &RuntimeCall,
		_info: &DispatchInfoOf<RuntimeCall>,
		asset_id: FeeAsset,
		fee: Balance,
		_tip: Balance,
	) -> Result<Self::LiquidityInfo, TransactionValidityError> {
		let currency = asset_id.currency().ok_or(InvalidTransaction::Payment)?;
		let native = CurrencyId::Native;
		if currency == native {
			let credit = NativeAndAssets::withdraw(
				native.clone(),
				who,
				fee,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)
			.map_err(|_| InvalidTransaction::Payment)?;
			return Ok((credit, fee, native));
		}
		let cost = Self::cost(&currency, fee)?;
		let credit = NativeAndAssets::withdraw(
			currency.clone(),
			who,
			cost,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.map_err(|_| InvalidTransaction::Payment)?;
		match <AssetConversion as SwapCredit<AccountId>>::swap_tokens_for_exact_tokens(
			vec![currency.clone(), native],
			credit,
			fee,
		) {
			Ok((fee_credit, change)) if change.peek().is_zero() => Ok((fee_credit, cost, currency)),
			Ok((fee_credit, change)) => {
				defensive!("the fee swap was quoted exactly");
				Self::give_back(who, change);
				ToPlatform::on_unbalanced(fee_credit);
				Err(InvalidTransaction::Payment.into())
			},
			Err((credit, _)) => {
				defensive!("the fee swap was quoted");
				Self::give_back(who, credit);
				Err(InvalidTransaction::Payment.into())
			},
		}
	}

	fn can_withdraw_fee(
		who: &AccountId,
		asset_id: FeeAsset,
		fee: Balance,
	) -> Result<(), TransactionValidityError> {
		let currency = asset_id.currency().ok_or(InvalidTransaction::Payment)?;
		let cost = if currency == CurrencyId::Native { fee } else { Self::cost(&currency, fee)? };
		match NativeAndAssets::can_withdraw(currency, who, cost) {
			frame_support::traits::tokens::WithdrawConsequence::Success => Ok(()),
			_ => Err(InvalidTransaction::Payment.into()),
		}
	}

	fn correct_and_deposit_fee(
		who: &AccountId,
		_info: &DispatchInfoOf<RuntimeCall>,
		_post_info: &PostDispatchInfoOf<RuntimeCall>,
		corrected_fee: Balance,
		tip: Balance,
		_asset_id: FeeAsset,
		(fee_paid, paid_in_asset, currency): Self::LiquidityInfo,
	) -> Result<Balance, TransactionValidityError> {
		let refund = fee_paid.peek().saturating_sub(corrected_fee);
		if refund.is_zero() || NativeAndAssets::total_balance(currency.clone(), who).is_zero() {
			Self::resolve(fee_paid, tip);
			return Ok(paid_in_asset);
		}
		if currency == CurrencyId::Native {
			let (refund, paid) = fee_paid.split(refund);
			let paid = match NativeAndAssets::resolve(who, refund) {
				Ok(()) => paid,
				Err(refund) => paid.merge(refund).unwrap_or_else(|(paid, _)| paid),
			};
			let amount = paid.peek();
			Self::resolve(paid, tip);
			return Ok(amount);
		}
		// Swap the unused part back into the asset, if the pools take it and `who` can receive
		// it; otherwise it is kept as fee.
		let back = AssetConversion::quote_price_exact_tokens_for_tokens(
			CurrencyId::Native,
			currency.clone(),
			refund,
			true,
		)
		.unwrap_or_default();
		if back.is_zero()
			|| NativeAndAssets::can_deposit(currency.clone(), who, back, Provenance::Extant)
				!= DepositConsequence::Success
		{
			Self::resolve(fee_paid, tip);
			return Ok(paid_in_asset);
		}
		let (refund, paid) = fee_paid.split(refund);
		let (paid_in_asset, paid) =
			match <AssetConversion as SwapCredit<AccountId>>::swap_exact_tokens_for_tokens(
				vec![CurrencyId::Native, currency],
				refund,
				Some(back),
			) {
				Ok(refund_asset) => match NativeAndAssets::resolve(who, refund_asset) {
					Ok(()) => (paid_in_asset.saturating_sub(back), paid),
					Err(refund_asset) => {
						defensive!("the refund can be deposited: checked");
						ToPlatform::on_unbalanced(refund_asset);
						(paid_in_asset, paid)
					},
				},
				Err((refund, _)) => {
					defensive!("the refund swap was quoted");
					(paid_in_asset, paid.merge(refund).unwrap_or_else(|(paid, _)| paid))
				},
			};
		Self::resolve(paid, tip);
		Ok(paid_in_asset)
	}
}

impl pallet_asset_conversion_tx_payment::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type AssetId = FeeAsset;
	type OnChargeAssetTransaction = StablecoinFees;
	type WeightInfo = pallet_asset_conversion_tx_payment::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helper::UsdxFees;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper {
	use super::*;
	use frame_support::traits::fungibles::Mutate;

	/// The extension's benchmarks pay in `USDX`, through its genesis pool.
	pub struct UsdxFees;
	impl pallet_asset_conversion_tx_payment::BenchmarkHelperTrait<AccountId, FeeAsset, FeeAsset>
		for UsdxFees
	{
		fn create_asset_id_parameter(_id: u32) -> (FeeAsset, FeeAsset) {
			let usdx = FeeAsset::asset(crate::genesis_config_presets::USDX);
			(usdx, usdx)
		}
		fn setup_balances_and_pool(_asset_id: FeeAsset, account: AccountId) {
			// The genesis pool is there; the account needs coins and ENT.
			let usdx = CurrencyId::WithId(crate::genesis_config_presets::USDX);
			let _ = NativeAndAssets::mint_into(usdx, &account, 1_000_000_000_000);
			let _ = NativeAndAssets::mint_into(CurrencyId::Native, &account, crate::UNITS);
		}
	}
}
