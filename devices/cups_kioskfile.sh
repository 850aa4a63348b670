#!/bin/sh
# A CUPS backend for the tests' and the demo's own cupsd (devices/cups_sandbox.py): writes each job's document, byte for
# byte, to the directory its device URI names (kioskfile:/DIR) as DIR/job-ID.pdf. With DIR/paper-out
# present it says what a laser printer's backend says with an empty tray and stops the queue; with
# DIR/hang it never finishes (a printer that takes the job and says nothing).
# Arguments as CUPS gives them: job-id user title copies options [file]; none: list the device.
if [ $# -eq 0 ]; then
  echo 'file kioskfile "Kiosk24 test printer" "Kiosk24 test printer"'
  exit 0
fi
dir=${DEVICE_URI#kioskfile:}
if [ -e "$dir/paper-out" ]; then
  echo "STATE: +media-empty" >&2
  echo "ERROR: out of paper" >&2
  exit 4    # CUPS_BACKEND_STOP: the queue stops, the job waits
fi
if [ -e "$dir/hang" ]; then
  exec sleep 60    # exec: cancelling the job kills the sleep itself, nothing is left running
fi
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$dir/job-$1.pdf.part" && mv "$dir/job-$1.pdf.part" "$dir/job-$1.pdf"
