//! The custom origins of Entrepot's referendum tracks (`Origins` in the runtime), after
//! Westend's `pallet_custom_origins`.
//!
//! A referendum dispatches its call from the origin of its track: `Root` for the `root` track,
//! [`Origin::PlatformAdmin`] for the `platform` track, [`Origin::ReferendumCanceller`] for the
//! `cancel` track. [`PlatformAdmin`] and [`ReferendumCanceller`] check for the latter two.

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use frame_support::pallet_prelude::*;

	/// This pallet needs nothing from the runtime.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origins a referendum may dispatch from, besides `Root`.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A referendum passed on the `platform` track: platform parameters (fee, policy
		/// bounds, dispute windows and deposits, arbiters, loyalty rates), validators, and
		/// bounded treasury spends.
		#[codec(index = 0)]
		PlatformAdmin,
		/// A referendum passed on the `cancel` track: cancelling another referendum. Token
		/// holders decide it, not the council, so the council cannot stop a referendum about
		/// itself.
		#[codec(index = 1)]
		ReferendumCanceller,
	}

	/// Ensures the origin is one [`Origin`] variant.
	macro_rules! ensure_variant {
		($(#[$doc:meta])* $name:ident) => {
			$(#[$doc])*
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();

				fn try_origin(o: O) -> Result<Self::Success, O> {
					match o.into() {
						Ok(Origin::$name) => Ok(()),
						Ok(other) => Err(O::from(other)),
						Err(o) => Err(o),
					}
				}

				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		};
	}

	ensure_variant!(
		/// Ensures the origin is [`Origin::PlatformAdmin`]: a referendum passed on the
		/// `platform` track.
		PlatformAdmin
	);
	ensure_variant!(
		/// Ensures the origin is [`Origin::ReferendumCanceller`]: a referendum passed on the
		/// `cancel` track.
		ReferendumCanceller
	);
}
