/**
 * The application menu. Without one, Electron shows its default menu, whose "View" menu opens
 * the developer tools: at a counter, anyone could then read or change what the screen holds.
 * Ours is short and in French; the developer tools and reload exist only outside packaged builds.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

const NAME = 'Assistant Dépôt';

export function menuTemplate(options: { packaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    // macOS puts the application's own menu first; quitting lives there.
    template.push({
      label: NAME,
      submenu: [
        { role: 'about', label: `À propos d'${NAME}` },
        { type: 'separator' },
        { role: 'hide', label: `Masquer ${NAME}` },
        { role: 'hideOthers', label: 'Masquer les autres' },
        { role: 'unhide', label: 'Tout afficher' },
        { type: 'separator' },
        { role: 'quit', label: `Quitter ${NAME}` },
      ],
    });
  } else {
    template.push({ label: 'Fichier', submenu: [{ role: 'quit', label: 'Quitter' }] });
  }
  // The edit roles carry the copy and paste shortcuts (on macOS they exist only through the menu).
  template.push({
    label: 'Édition',
    submenu: [
      { role: 'undo', label: 'Annuler' },
      { role: 'redo', label: 'Rétablir' },
      { type: 'separator' },
      { role: 'cut', label: 'Couper' },
      { role: 'copy', label: 'Copier' },
      { role: 'paste', label: 'Coller' },
      { role: 'selectAll', label: 'Tout sélectionner' },
    ],
  });
  const view: MenuItemConstructorOptions[] = [
    { role: 'zoomIn', label: 'Agrandir le texte' },
    { role: 'zoomOut', label: 'Réduire le texte' },
    { role: 'resetZoom', label: 'Taille normale' },
    { type: 'separator' },
    { role: 'togglefullscreen', label: 'Plein écran' },
  ];
  if (!options.packaged) {
    view.push(
      { type: 'separator' },
      { role: 'reload', label: 'Recharger' },
      { role: 'toggleDevTools', label: 'Outils de développement' },
    );
  }
  template.push({ label: 'Affichage', submenu: view });
  template.push({
    label: 'Fenêtre',
    submenu: [
      { role: 'minimize', label: 'Réduire' },
      { role: 'close', label: 'Fermer la fenêtre' },
    ],
  });
  return template;
}

/** Sets our menu before any window opens, so the default one is never shown. */
export function setApplicationMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ packaged: app.isPackaged, platform: process.platform })));
}
