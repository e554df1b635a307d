"""The public face of Samverkan: pages about BUS for families, young people and staff, the
contact directory and the accessibility statement, open without logging in and edited by
the BUS secretariat."""
