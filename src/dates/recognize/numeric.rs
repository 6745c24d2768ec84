//! Numeric dates: Soviet and European `24.III.50`, `29.8.50`, `13/5-50`, US `09/30/50`.
