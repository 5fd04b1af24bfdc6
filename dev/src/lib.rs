//! # Entrepot dev
//!
//! Test scaffolding the pallets' tests share, so that each mock holds only what is particular to
//! its pallet.
//!
//! - [`impl_test_currencies!`]: the four currency pallets of every mock runtime (`frame_system`,
//!   `pallet-balances`, `pallet-assets` and `pallet-assets-holder`, each with the test defaults)
//!   and the `Holds` and `Currencies` unions of `ENT` and the assets that the pallets are
//!   configured with, as the runtime configures them.
//! - [`Rng`]: the small deterministic generator behind the property tests.
//! - [`reference_value`]: governance's reference rates in a mock, for the pallets that value
//!   deposits in another currency.
//!
//! A dev-dependency only: nothing here reaches a runtime.

#![deny(missing_docs)]

/// Implements the configuration of the currency pallets of a mock runtime `$runtime`, which
/// must declare `System`, `Balances`, `Assets` and `AssetsHolder` (and `pub type AccountId =
/// u64`), with `ENT`'s existential deposit `$ed`, and defines
///
/// - `Holds`: holds of every currency (`ENT` through `Balances`, assets through
///   `AssetsHolder`), the union the runtime gives the escrow, orders and disputes pallets;
/// - `Currencies`: plain transfers of every currency (`Balances` and `Assets`).
///
/// Assets are created by any signed account and forced by Root. The calling crate depends on
/// `frame-support`, `frame-system`, `pallet-balances`, `pallet-assets`, `pallet-assets-holder`
/// and `entrepot-primitives`.
#[macro_export]
macro_rules! impl_test_currencies {
	($runtime:ident, existential_deposit: $ed:expr) => {
		#[frame_support::derive_impl(frame_system::config_preludes::TestDefaultConfig)]
		impl frame_system::Config for $runtime {
			type Block = frame_system::mocking::MockBlock<$runtime>;
			type AccountData = pallet_balances::AccountData<entrepot_primitives::Balance>;
		}

		#[frame_support::derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
		impl pallet_balances::Config for $runtime {
			type Balance = entrepot_primitives::Balance;
			type ExistentialDeposit = frame_support::traits::ConstU128<{ $ed }>;
			type AccountStore = System;
		}

		#[frame_support::derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
		impl pallet_assets::Config for $runtime {
			type Balance = entrepot_primitives::Balance;
			type CreateOrigin =
				frame_support::traits::AsEnsureOriginWithArg<frame_system::EnsureSigned<AccountId>>;
			type ForceOrigin = frame_system::EnsureRoot<AccountId>;
			type Currency = Balances;
			type Holder = AssetsHolder;
		}

		impl pallet_assets_holder::Config for $runtime {
			type RuntimeHoldReason = RuntimeHoldReason;
			type RuntimeEvent = RuntimeEvent;
		}

		/// Holds of every currency.
		pub type Holds = frame_support::traits::fungible::UnionOf<
			Balances,
			AssetsHolder,
			frame_support::traits::fungible::NativeFromLeft,
			frame_support::traits::fungible::NativeOrWithId<u32>,
			AccountId,
		>;
		/// Plain transfers of every currency.
		pub type Currencies = frame_support::traits::fungible::UnionOf<
			Balances,
			Assets,
			frame_support::traits::fungible::NativeFromLeft,
			frame_support::traits::fungible::NativeOrWithId<u32>,
			AccountId,
		>;
	};
}

/// xorshift64*: small, deterministic and good enough to drive a property test. The seed must
/// not be zero (zero stays zero).
pub struct Rng(pub u64);

impl Rng {
	/// The next 64 random bits.
	pub fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
	}

	/// A number below `n` (which must not be zero).
	pub fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}

	/// One of `xs` (which must not be empty).
	pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
		xs[self.below(xs.len() as u64) as usize].clone()
	}
}

/// What `amount` of `from` is worth in `to` at the mock's reference `rates`, rounded up, as
/// `entrepot_primitives::Exchange::reference_value` says: each rate is a currency's worth in
/// the native token, as `(currency, numerator, denominator)`. `amount` itself if `from == to`;
/// `None` if either currency has no rate (or on overflow).
pub fn reference_value<C: PartialEq>(
	rates: &[(C, u128, u128)],
	from: &C,
	to: &C,
	amount: u128,
) -> Option<u128> {
	if from == to {
		return Some(amount);
	}
	let rate = |c: &C| rates.iter().find(|(x, _, _)| x == c).map(|(_, n, d)| (*n, *d));
	let ((from_n, from_d), (to_n, to_d)) = (rate(from)?, rate(to)?);
	let numerator = amount.checked_mul(from_n)?.checked_mul(to_d)?;
	let denominator = from_d.checked_mul(to_n)?;
	(denominator != 0).then(|| numerator.div_ceil(denominator))
}
