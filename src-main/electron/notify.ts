/** Reminders as system notifications; a click brings the app's window to the front. */
import type { BrowserWindow, Notification as ElectronNotification } from 'electron';
import type { Reminder } from '../core/deadline-reminders';

export function notifier(
  Notification: Pick<typeof ElectronNotification, 'isSupported'> & (new (options: { title: string; body: string; urgency?: 'normal' | 'critical' | 'low' }) => Pick<ElectronNotification, 'show' | 'on'>),
  mainWindow: () => BrowserWindow | undefined,
): (reminder: Reminder) => void {
  return (reminder) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: reminder.title,
      body: reminder.body,
      // A correction waits days, not minutes: no alarm for it.
      urgency: reminder.id === '48h' || reminder.id === 'correction' ? 'normal' : 'critical',
    });
    notification.on('click', () => {
      const window = mainWindow();
      if (window?.isMinimized()) window.restore();
      window?.focus();
    });
    notification.show();
  };
}
